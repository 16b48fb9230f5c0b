package io.sequencer.functions;

import io.sequencer.adapters.azure.KeyVaultKeyWrap;
import io.sequencer.adapters.crypto.LocalKeyWrap;
import io.sequencer.adapters.crypto.MissingKeyWrap;
import io.sequencer.engine.secret.KeyWrap;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Function;

/** Which key wraps the accounts' data keys, from app settings: a Key Vault key when named, else a local key file. */
final class SecretKeySettings {
    /** The Key Vault key that wraps data keys: {@code https://<vault>.vault.azure.net/keys/<name>[/<version>]}. */
    static final String KEY_VAULT_KEY_SETTING = "SEQUENCER_KEY_VAULT_KEY_ID";
    /** The client id of the user-assigned identity that may use that key (optional). */
    static final String KEY_VAULT_CLIENT_ID_SETTING = "SEQUENCER_KEY_VAULT_CLIENT_ID";
    /** Where a local host keeps its key-encryption key (created on first use). */
    static final String LOCAL_KEY_FILE_SETTING = "SEQUENCER_LOCAL_KEY_FILE";
    static final String DEFAULT_LOCAL_KEY_FILE = ".sequencer/keys/master.key";
    /** Set by the Functions host on Azure: there, no local disk keeps a key from one instance to the next. */
    private static final String AZURE_INSTANCE_SETTING = "WEBSITE_INSTANCE_ID";

    private SecretKeySettings() {}

    static KeyWrap keyWrap(Function<String, String> settings, Clock clock) {
        String keyId = settings.apply(KEY_VAULT_KEY_SETTING);
        if (keyId != null && !keyId.isBlank()) {
            return KeyVaultKeyWrap.withManagedIdentity(keyId.trim(), settings.apply(KEY_VAULT_CLIENT_ID_SETTING), clock);
        }
        String file = settings.apply(LOCAL_KEY_FILE_SETTING);
        if ((file == null || file.isBlank()) && settings.apply(AZURE_INSTANCE_SETTING) != null) {
            return new MissingKeyWrap(KEY_VAULT_KEY_SETTING);
        }
        return new LocalKeyWrap(Path.of(file == null || file.isBlank() ? DEFAULT_LOCAL_KEY_FILE : file.trim()));
    }
}
