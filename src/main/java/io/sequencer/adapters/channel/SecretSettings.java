package io.sequencer.adapters.channel;

import io.sequencer.domain.account.AppSettingPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The secrets channels send with (webhook signing secrets, page tokens, API keys), read from app settings and
 * checked before any request is built. A value OkHttp cannot put in a header would otherwise throw on every retry
 * of the step until the tick is poisoned; here it is one permanent failure that names the setting and never
 * quotes the value. A setting is read only when the {@link AppSettingPolicy} lets the account name it, checked again
 * at each send: a definition stored before the policy, or under another template, fails instead of sending.
 */
public final class SecretSettings {
    /**
     * The companion setting that holds a signing secret being rotated out: while {@code <NAME>_PREVIOUS} is set,
     * every request is signed with both, so a host can move to the new secret at its own pace.
     */
    static final String PREVIOUS_SUFFIX = "_PREVIOUS";

    private final Function<String, String> settings;
    private final AppSettingPolicy policy;

    /** Reads the policy from {@code settings} itself: for a channel built on its own. */
    public SecretSettings(Function<String, String> settings) {
        this(settings, AppSettingPolicy.fromSettings(settings));
    }

    /** Secrets from {@code settings} under {@code policy}, read once at start-up and shared by every channel. */
    public SecretSettings(Function<String, String> settings, AppSettingPolicy policy) {
        this.settings = settings;
        this.policy = policy;
    }

    /**
     * A credential sent as {@code Authorization: Bearer <token>}. Whitespace around it is dropped (a key pasted
     * into an app setting often ends in a newline); what is left must be visible ASCII, as any such token is.
     * {@code what} names the credential in the failure, e.g. {@code "page token"}.
     */
    public String bearerToken(String account, String setting, String what) throws UnusableSecret {
        String value = read(account, setting, what + " setting");
        if (value == null || value.isBlank()) {
            throw new UnusableSecret(what + " setting " + setting + " is not set");
        }
        String token = value.strip();
        if (!token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new UnusableSecret(what + " setting " + setting
                    + " holds a line break, a space, a control or a non-ASCII character, which no header can carry");
        }
        return token;
    }

    /**
     * The secrets that sign a request: the one in {@code setting}, then, during a rotation, the one in
     * {@code setting + "_PREVIOUS"}. {@code what} names the destination in the failure, e.g. {@code "webhook"}.
     */
    List<SigningSecret> signingSecrets(String account, String setting, String what) throws UnusableSecret {
        String current = read(account, setting, what + " secret setting");
        if (current == null || current.isEmpty()) {
            throw new UnusableSecret(what + " secret setting " + setting + " is not set");
        }
        List<SigningSecret> secrets = new ArrayList<>(2);
        secrets.add(signingSecret(setting, current, what));
        String previousSetting = setting + PREVIOUS_SUFFIX;
        String previous = read(account, previousSetting, what + " secret setting");
        if (previous != null && !previous.isEmpty()) {
            secrets.add(signingSecret(previousSetting, previous, what));
        }
        return List.copyOf(secrets);
    }

    /**
     * The value of {@code setting} when {@code account} may name it. A refusal never reads the setting, and says
     * the same whether or not it exists: only the account's own settings are ever told apart as set or not.
     */
    private String read(String account, String setting, String what) throws UnusableSecret {
        Optional<String> refused = policy.problemWith(account, setting);
        if (refused.isPresent()) {
            throw new UnusableSecret(what + " " + refused.get());
        }
        return settings.apply(setting);
    }

    private static SigningSecret signingSecret(String setting, String value, String what) throws UnusableSecret {
        try {
            return SigningSecret.parse(value);
        } catch (IllegalArgumentException unusable) {
            throw new UnusableSecret(what + " secret setting " + setting + " " + unusable.getMessage());
        }
    }
}
