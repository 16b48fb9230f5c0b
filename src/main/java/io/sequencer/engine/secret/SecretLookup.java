package io.sequencer.engine.secret;

import java.util.Optional;

/** Reads an account's secret for sending: only ever within the account the delivery is for. */
@FunctionalInterface
public interface SecretLookup {
    /** No account secrets at all: every name is unknown. */
    SecretLookup NONE = (account, name) -> Optional.empty();

    /**
     * The value (and the previous one while a rotation keeps it); empty when the account has no such secret.
     * @throws SecretUnreadable when it is stored but does not decrypt
     */
    Optional<SecretValues> reveal(String account, String name);
}
