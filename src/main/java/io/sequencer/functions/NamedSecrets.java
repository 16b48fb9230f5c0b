package io.sequencer.functions;

import io.sequencer.domain.Invalid;
import io.sequencer.domain.account.AppSettingPolicy;
import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.domain.channel.CredentialName;
import io.sequencer.engine.secret.AccountSecrets;
import io.sequencer.engine.send.AddressGuard;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Refuses a channel or notification that names a secret (an app setting, or one of the account's own secrets) that
 * is not there: it would fail every send it signs. Checked when the definition is written.
 */
final class NamedSecrets {
    private final Function<String, String> appSettings;
    private final AppSettingPolicy policy;
    private final AccountSecrets secrets;

    NamedSecrets(Settings settings, AccountSecrets secrets) {
        this.appSettings = settings.appSettings();
        this.policy = settings.accountSettings();
        this.secrets = secrets;
    }

    /**
     * Refuses a setting name {@code account} may not use ({@link AppSettingPolicy}), or one not configured.
     * Existence is only looked up for a name under the account's own prefix, so no account learns which other
     * settings exist.
     * @throws Invalid naming {@code field}
     */
    void requireSettingDefined(String account, String field, Optional<String> name) {
        name.ifPresent(n -> {
            policy.problemWith(account, n).ifPresent(problem -> {
                throw new Invalid(field, problem);
            });
            String value = appSettings.apply(n);
            if (value == null || value.isEmpty()) {
                throw new Invalid(field, "app setting " + n + " is not defined");
            }
        });
    }

    /** A secret (signing secret, page token, API key) named but not configured would fail every send: refuse it. */
    void requireChannelSettings(String account, ChannelConfig channel) {
        requireChannelSettings(account, "", channel);
    }

    /** As above, for a channel object at {@code prefix} ({@code steps[0].}) of the request. */
    void requireChannelSettings(String account, String prefix, ChannelConfig channel) {
        channel.credentials().stream().filter(c -> c.source() == CredentialName.Source.APP_SETTING)
                .forEach(c -> requireSettingDefined(account, prefix + "channel." + c.field(), Optional.of(c.name())));
    }

    /**
     * Refuses a name of a secret its account does not have. The answer is the same whether or not another account
     * has a secret of that name.
     * @throws Invalid naming {@code field}
     */
    void requireAccountSecret(String account, String field, Optional<String> name) {
        name.ifPresent(n -> {
            if (!secrets.exists(account, n)) {
                throw new Invalid(field, "names no secret of this account; create it with PUT /api/accounts/"
                        + account + "/secrets/" + n);
            }
        });
    }

    /** {@link #requireAccountSecret} for the secrets a channel names, at the field each is named by. */
    void requireChannelSecret(String account, ChannelConfig channel) {
        requireChannelSecret(account, "", channel);
    }

    /** As above, for a channel object at {@code prefix} ({@code steps[0].}) of the request. */
    void requireChannelSecret(String account, String prefix, ChannelConfig channel) {
        channel.credentials().stream().filter(c -> c.source() == CredentialName.Source.ACCOUNT_SECRET)
                .forEach(c -> requireAccountSecret(account, prefix + "channel." + c.field(), Optional.of(c.name())));
    }

    /**
     * Every check of a definition's channels, each at the field that names it: the app settings and secrets they
     * name exist and their URLs may be reached, {@code channels} keyed by the prefix of their channel object.
     */
    void requireChannels(String account, Map<String, ChannelConfig> channels, AddressGuard addresses) {
        channels.forEach((prefix, channel) -> {
            requireChannelSettings(account, prefix, channel);
            addresses.requireAllowed(prefix, channel);
            requireChannelSecret(account, prefix, channel);
        });
    }
}
