package io.sequencer.testing;

import io.sequencer.domain.sequence.Sequence;
import io.sequencer.engine.AlreadyExists;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import io.sequencer.engine.sequence.SequenceStore;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** In-memory {@link SequenceStore} with ETags, for fast engine tests; held to the same contract as the table. */
public final class InMemorySequenceStore implements SequenceStore {
    private final Map<String, Stored<Sequence>> rows = new ConcurrentHashMap<>();
    private final AtomicLong etags = new AtomicLong();

    private static String key(String account, String id) {
        return account + "|" + id;
    }

    @Override
    public Optional<Stored<Sequence>> find(String account, String sequenceId) {
        return Optional.ofNullable(rows.get(key(account, sequenceId)));
    }

    @Override
    public synchronized void create(Sequence sequence) {
        if (rows.putIfAbsent(key(sequence.account(), sequence.id()), stored(sequence)) != null) {
            throw new AlreadyExists("sequence " + sequence.id());
        }
    }

    @Override
    public synchronized void replace(Sequence sequence, String etag) {
        String key = key(sequence.account(), sequence.id());
        Stored<Sequence> current = rows.get(key);
        if (current == null || !current.etag().equals(etag)) {
            throw new StaleWrite("sequence " + sequence.id());
        }
        rows.put(key, stored(sequence));
    }

    @Override
    public List<Sequence> list(String account) {
        return rows.values().stream().map(Stored::value).filter(s -> s.account().equals(account))
                .sorted(Comparator.comparing(Sequence::id)).toList();
    }

    private Stored<Sequence> stored(Sequence sequence) {
        return new Stored<>(sequence, "W/\"" + etags.incrementAndGet() + "\"");
    }
}
