package io.sequencer.testing;

import io.sequencer.domain.account.AccountKey;
import io.sequencer.engine.AlreadyExists;
import io.sequencer.engine.account.AccountKeyStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Account keys in memory, by prefix. */
public final class InMemoryAccountKeyStore implements AccountKeyStore {
    private final Map<String, AccountKey> keys = new ConcurrentHashMap<>();

    @Override
    public void create(AccountKey key) {
        if (keys.putIfAbsent(key.prefix(), key) != null) {
            throw new AlreadyExists("account key");
        }
    }

    @Override
    public Optional<AccountKey> find(String prefix) {
        return Optional.ofNullable(keys.get(prefix));
    }

    @Override
    public List<AccountKey> list(String account) {
        return keys.values().stream().filter(k -> k.account().equals(account)).toList();
    }

    @Override
    public void markUsed(String prefix, Instant at) {
        keys.computeIfPresent(prefix, (p, key) -> new AccountKey(key.prefix(), key.account(), key.hash(),
                key.createdAt(), Optional.of(at)));
    }

    @Override
    public boolean delete(String account, String prefix) {
        AccountKey key = keys.get(prefix);
        return key != null && key.account().equals(account) && keys.remove(prefix, key);
    }
}
