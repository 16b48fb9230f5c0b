package io.sequencer.testing;

import io.sequencer.engine.AlreadyExists;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import io.sequencer.engine.idempotency.IdempotencyRecord;
import io.sequencer.engine.idempotency.IdempotencyStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** In-memory {@link IdempotencyStore} with ETags; held to the same contract as the table. */
public final class InMemoryIdempotencyStore implements IdempotencyStore {
    private final Map<String, Stored<IdempotencyRecord>> rows = new ConcurrentHashMap<>();
    private final AtomicLong etags = new AtomicLong();

    @Override
    public Optional<Stored<IdempotencyRecord>> find(String account, String key) {
        return Optional.ofNullable(rows.get(key(account, key)));
    }

    @Override
    public synchronized void create(IdempotencyRecord record) {
        Stored<IdempotencyRecord> stored = stored(record);
        if (rows.putIfAbsent(key(record.account(), record.key()), stored) != null) {
            throw new AlreadyExists("idempotency key");
        }
    }

    @Override
    public synchronized void replace(IdempotencyRecord record, String etag) {
        String key = key(record.account(), record.key());
        Stored<IdempotencyRecord> current = rows.get(key);
        if (current == null || !current.etag().equals(etag)) {
            throw new StaleWrite("idempotency key");
        }
        rows.put(key, stored(record));
    }

    @Override
    public synchronized boolean delete(String account, String key, String etag) {
        Stored<IdempotencyRecord> current = rows.get(key(account, key));
        return current != null && current.etag().equals(etag) && rows.remove(key(account, key), current);
    }

    @Override
    public synchronized int removeAnswersContaining(String account, String text) {
        List<String> naming = rows.entrySet().stream().filter(e -> e.getKey().startsWith(account + "\n"))
                .filter(e -> e.getValue().value().phase() instanceof IdempotencyRecord.Phase.Answered a
                        && a.answer().body().contains(text))
                .map(Map.Entry::getKey).toList();
        naming.forEach(rows::remove);
        return naming.size();
    }

    @Override
    public synchronized int removeFreedBefore(Instant instant, int max) {
        List<String> freed = rows.entrySet().stream().filter(e -> e.getValue().value().freeAt().isBefore(instant))
                .map(Map.Entry::getKey).limit(max).toList();
        freed.forEach(rows::remove);
        return freed.size();
    }

    private static String key(String account, String key) {
        return account + "\n" + key;
    }

    private Stored<IdempotencyRecord> stored(IdempotencyRecord record) {
        return new Stored<>(record, "W/\"" + etags.incrementAndGet() + "\"");
    }
}
