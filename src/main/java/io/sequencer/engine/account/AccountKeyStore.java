package io.sequencer.engine.account;

import io.sequencer.domain.account.AccountKey;
import java.util.List;
import java.util.Optional;

/** Where account API keys are kept, by prefix; only their hashes. */
public interface AccountKeyStore {
    /** @throws AlreadyExists when a key with the same prefix exists (of any account) */
    void create(AccountKey key);

    Optional<AccountKey> find(String prefix);

    /** The keys of {@code account}, in any order. */
    List<AccountKey> list(String account);

    /** Records that the key was used {@code at}; does nothing when the key is gone (never brings it back). */
    void markUsed(String prefix, java.time.Instant at);

    /** Removes the key if it is {@code account}'s; false when there is no such key of that account. */
    boolean delete(String account, String prefix);
}
