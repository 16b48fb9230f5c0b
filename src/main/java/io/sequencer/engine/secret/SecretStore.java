package io.sequencer.engine.secret;

import io.sequencer.engine.Stored;
import java.util.List;
import java.util.Optional;

/**
 * Port: each account's secrets, sealed ({@link SealedSecret}), and the account's data key, wrapped. Nothing in it
 * opens without the key that {@link KeyWrap} holds. Every operation is scoped to one account; writes are
 * conditional.
 */
public interface SecretStore {
    Optional<Stored<KeyWrap.WrappedKey>> dataKey(String account);

    /** @throws AlreadyExists when the account has a data key */
    void createDataKey(String account, KeyWrap.WrappedKey key);

    /** The same data key wrapped anew. @throws StaleWrite when its ETag is no longer {@code etag} */
    void replaceDataKey(String account, KeyWrap.WrappedKey key, String etag);

    Optional<Stored<SealedSecret>> find(String account, String name);

    /** Every secret of {@code account}, ordered by name. */
    List<SealedSecret> list(String account);

    /** @throws AlreadyExists when the secret exists */
    void create(SealedSecret secret);

    /** @throws StaleWrite when the stored secret's ETag is no longer {@code etag} */
    void replace(SealedSecret secret, String etag);

    /** @return false when there was no such secret */
    boolean delete(String account, String name);
}
