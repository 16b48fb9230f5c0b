package io.sequencer.testing;

import io.sequencer.domain.limit.FrequencyLimits;
import io.sequencer.domain.limit.SendLog;
import io.sequencer.engine.AlreadyExists;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import io.sequencer.engine.limit.CapStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** In-memory {@link CapStore} with ETags. */
public final class InMemoryCapStore implements CapStore {
    private final Map<String, FrequencyLimits> limits = new ConcurrentHashMap<>();
    private final Map<String, Stored<SendLog>> logs = new ConcurrentHashMap<>();
    private final AtomicLong etags = new AtomicLong();

    @Override
    public Optional<FrequencyLimits> limits(String account) {
        return Optional.ofNullable(limits.get(account));
    }

    @Override
    public void putLimits(FrequencyLimits value) {
        limits.put(value.account(), value);
    }

    @Override
    public void deleteLimits(String account) {
        limits.remove(account);
    }

    @Override
    public Optional<Stored<SendLog>> log(String account, String subscriberId) {
        return Optional.ofNullable(logs.get(key(account, subscriberId)));
    }

    @Override
    public synchronized void createLog(String account, String subscriberId, SendLog log) {
        if (logs.putIfAbsent(key(account, subscriberId), stored(log)) != null) {
            throw new AlreadyExists("send log of " + subscriberId);
        }
    }

    @Override
    public synchronized void replaceLog(String account, String subscriberId, SendLog log, String etag) {
        Stored<SendLog> current = logs.get(key(account, subscriberId));
        if (current == null || !current.etag().equals(etag)) {
            throw new StaleWrite("send log of " + subscriberId);
        }
        logs.put(key(account, subscriberId), stored(log));
    }

    private static String key(String account, String subscriberId) {
        return account + "|" + subscriberId;
    }

    private Stored<SendLog> stored(SendLog log) {
        return new Stored<>(log, "W/\"" + etags.incrementAndGet() + "\"");
    }
}
