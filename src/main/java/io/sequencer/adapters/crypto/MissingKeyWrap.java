package io.sequencer.adapters.crypto;

import io.sequencer.engine.secret.KeyWrap;

/**
 * The key wrap of an app deployed without its Key Vault key: every use fails, saying which setting is missing,
 * instead of creating a key file on an instance's disk that the next instance would not have.
 */
public final class MissingKeyWrap implements KeyWrap {
    private final String setting;

    public MissingKeyWrap(String setting) {
        this.setting = setting;
    }

    @Override
    public String currentKeyId() {
        throw missing();
    }

    @Override
    public WrappedKey wrap(byte[] dataKey) {
        throw missing();
    }

    @Override
    public byte[] unwrap(WrappedKey wrapped) {
        throw missing();
    }

    private IllegalStateException missing() {
        return new IllegalStateException("account secrets need app setting " + setting + " (a Key Vault key id)");
    }
}
