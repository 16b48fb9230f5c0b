package io.sequencer.channel;

import io.sequencer.adapters.channel.SecretSettings;
import io.sequencer.engine.secret.SecretLookup;
import java.time.Clock;
import okhttp3.OkHttpClient;

/**
 * What every channel type's sender is made of: the one HTTP client of the app, the secrets channels name (app
 * settings or the accounts' own) and the app settings the type reads for itself (its API's base URL).
 */
public record SenderKit(OkHttpClient http, SecretSettings appSecrets, SecretLookup accountSecrets,
                        SettingReader settings, Clock clock) {}
