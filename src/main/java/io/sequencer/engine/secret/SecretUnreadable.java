package io.sequencer.engine.secret;

/**
 * A stored secret or data key that cannot be decrypted: changed bytes, moved to another account or name, or
 * wrapped by a key this app no longer holds. Its message never holds key material or a value.
 */
public final class SecretUnreadable extends RuntimeException {
    public SecretUnreadable(String detail) {
        super(detail, null, false, false);
    }
}
