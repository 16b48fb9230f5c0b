package io.sequencer.engine.secret;

/**
 * Port: the key-encryption key that wraps each account's data key. It never leaves its holder (a Key Vault key, or
 * locally a key file outside storage); only wrapped data keys are stored, each with the id of the key that wrapped
 * it, so that a data key wrapped by an older key version can be unwrapped and wrapped again under the current one.
 */
public interface KeyWrap {
    /** The key (with its version) that {@link #wrap} uses now. */
    String currentKeyId();

    /** {@code dataKey} wrapped under the current key. */
    WrappedKey wrap(byte[] dataKey);

    /**
     * The data key inside {@code wrapped}.
     * @throws SecretUnreadable when no key it knows wrapped it, or the wrapped bytes were changed
     */
    byte[] unwrap(WrappedKey wrapped);

    /** A data key as stored: the wrapping key's id and the wrapped bytes. */
    record WrappedKey(String keyId, byte[] wrapped) {
        public WrappedKey {
            if (keyId == null || keyId.isBlank() || wrapped == null || wrapped.length == 0) {
                throw new IllegalArgumentException("a key id and wrapped bytes are required");
            }
            wrapped = wrapped.clone();
        }

        @Override
        public byte[] wrapped() {
            return wrapped.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof WrappedKey w && keyId.equals(w.keyId) && java.util.Arrays.equals(wrapped, w.wrapped);
        }

        @Override
        public int hashCode() {
            return keyId.hashCode() * 31 + java.util.Arrays.hashCode(wrapped);
        }

        @Override
        public String toString() {
            return "WrappedKey[" + keyId + "]";
        }
    }
}
