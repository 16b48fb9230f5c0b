package io.sequencer.adapters.channel;

import io.sequencer.engine.secret.SecretLookup;
import io.sequencer.engine.secret.SecretUnreadable;
import io.sequencer.engine.secret.SecretValues;
import java.util.ArrayList;
import java.util.List;

/**
 * The secrets a channel sends with when its definition names a secret of the account's own ({@code secret},
 * {@code pageToken}, {@code apiKey}): looked up only within the account of the delivery, and checked the way
 * {@link SecretSettings} checks app settings. A failure names the secret and never quotes a value.
 */
public final class AccountSecretResolver {
    private final SecretLookup lookup;

    public AccountSecretResolver(SecretLookup lookup) {
        this.lookup = lookup;
    }

    /** A credential sent as {@code Authorization: Bearer <token>}: visible ASCII once trimmed. */
    public String bearerToken(String account, String name, String what) throws UnusableSecret {
        String token = values(account, name, what).current().strip();
        if (token.isEmpty() || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new UnusableSecret(what + " secret " + name
                    + " holds a line break, a space, a control or a non-ASCII character, which no header can carry");
        }
        return token;
    }

    /** The secrets that sign a request: the current value, then the previous one while a rotation keeps it. */
    List<SigningSecret> signingSecrets(String account, String name, String what) throws UnusableSecret {
        SecretValues values = values(account, name, what);
        List<SigningSecret> secrets = new ArrayList<>(2);
        secrets.add(signingSecret(name, values.current(), what));
        if (values.previous().isPresent()) {
            secrets.add(signingSecret(name + " (previous value)", values.previous().get(), what));
        }
        return List.copyOf(secrets);
    }

    private SecretValues values(String account, String name, String what) throws UnusableSecret {
        try {
            return lookup.reveal(account, name)
                    .orElseThrow(() -> new UnusableSecret(what + " secret " + name + " does not exist in the account"));
        } catch (SecretUnreadable e) {
            throw new UnusableSecret(what + " secret " + name + " cannot be decrypted");
        }
    }

    private static SigningSecret signingSecret(String name, String value, String what) throws UnusableSecret {
        try {
            return SigningSecret.parse(value);
        } catch (IllegalArgumentException unusable) {
            throw new UnusableSecret(what + " secret " + name + " " + unusable.getMessage());
        }
    }
}
