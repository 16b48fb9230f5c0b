package io.sequencer.testing;

import io.sequencer.engine.AlreadyExists;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import io.sequencer.engine.secret.KeyWrap;
import io.sequencer.engine.secret.SealedSecret;
import io.sequencer.engine.secret.SecretStore;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** In-memory {@link SecretStore} with ETags. */
public final class InMemorySecretStore implements SecretStore {
    private final Map<String, Stored<KeyWrap.WrappedKey>> dataKeys = new ConcurrentHashMap<>();
    private final Map<String, Stored<SealedSecret>> secrets = new ConcurrentHashMap<>();
    private final AtomicLong etags = new AtomicLong();

    @Override
    public Optional<Stored<KeyWrap.WrappedKey>> dataKey(String account) {
        return Optional.ofNullable(dataKeys.get(account));
    }

    @Override
    public synchronized void createDataKey(String account, KeyWrap.WrappedKey key) {
        if (dataKeys.putIfAbsent(account, stored(key)) != null) {
            throw new AlreadyExists("data key of " + account);
        }
    }

    @Override
    public synchronized void replaceDataKey(String account, KeyWrap.WrappedKey key, String etag) {
        Stored<KeyWrap.WrappedKey> current = dataKeys.get(account);
        if (current == null || !current.etag().equals(etag)) {
            throw new StaleWrite("data key of " + account);
        }
        dataKeys.put(account, stored(key));
    }

    @Override
    public Optional<Stored<SealedSecret>> find(String account, String name) {
        return Optional.ofNullable(secrets.get(account + "|" + name));
    }

    @Override
    public List<SealedSecret> list(String account) {
        return secrets.values().stream().map(Stored::value).filter(s -> s.account().equals(account))
                .sorted(Comparator.comparing(SealedSecret::name)).toList();
    }

    @Override
    public synchronized void create(SealedSecret secret) {
        if (secrets.putIfAbsent(secret.account() + "|" + secret.name(), stored(secret)) != null) {
            throw new AlreadyExists("secret " + secret.name());
        }
    }

    @Override
    public synchronized void replace(SealedSecret secret, String etag) {
        Stored<SealedSecret> current = secrets.get(secret.account() + "|" + secret.name());
        if (current == null || !current.etag().equals(etag)) {
            throw new StaleWrite("secret " + secret.name());
        }
        secrets.put(secret.account() + "|" + secret.name(), stored(secret));
    }

    @Override
    public boolean delete(String account, String name) {
        return secrets.remove(account + "|" + name) != null;
    }

    private <T> Stored<T> stored(T value) {
        return new Stored<>(value, "W/\"" + etags.incrementAndGet() + "\"");
    }
}
