package io.sequencer.engine.sequence;

import io.sequencer.domain.sequence.Sequence;
import io.sequencer.engine.Stored;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link SequenceStore} that answers repeated reads of one sequence from memory for {@link #DEFAULT_TTL}: every
 * due step and every enroll reads its sequence, so under load nearly all of those reads (one storage request of
 * the three a step makes) are served here.
 *
 * <p>Writes through this store drop the cached copy at once, so this process reads its own writes. Another
 * process's write (a pause, an edit, an archive made by another instance) is seen within the time to live;
 * there is no cross-instance invalidation to be had from Table storage, and a second is short next to the
 * queue's own delivery delays. A sequence that is not found is never cached: creating one is seen at once.
 */
public final class SequenceCache implements SequenceStore {
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(1);
    private static final int MAX_ENTRIES = 10_000;

    private record Entry(Stored<Sequence> stored, Instant expires) {}

    private final SequenceStore store;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    public SequenceCache(SequenceStore store, Duration ttl, Clock clock) {
        this.store = store;
        this.ttl = ttl;
        this.clock = clock;
    }

    @Override
    public Optional<Stored<Sequence>> find(String account, String sequenceId) {
        String key = key(account, sequenceId);
        Instant now = clock.instant();
        Entry cached = entries.get(key);
        if (cached != null && now.isBefore(cached.expires())) {
            return Optional.of(cached.stored());
        }
        Optional<Stored<Sequence>> found = store.find(account, sequenceId);
        if (found.isPresent()) {
            if (entries.size() >= MAX_ENTRIES) {
                entries.values().removeIf(e -> !now.isBefore(e.expires()));
            }
            entries.put(key, new Entry(found.get(), now.plus(ttl)));
        } else {
            entries.remove(key);
        }
        return found;
    }

    @Override
    public void create(Sequence sequence) {
        try {
            store.create(sequence);
        } finally {
            entries.remove(key(sequence.account(), sequence.id()));
        }
    }

    @Override
    public void replace(Sequence sequence, String etag) {
        try {
            store.replace(sequence, etag);
        } finally {
            entries.remove(key(sequence.account(), sequence.id()));
        }
    }

    @Override
    public List<Sequence> list(String account) {
        return store.list(account);
    }

    private static String key(String account, String sequenceId) {
        return account + "\n" + sequenceId;
    }
}
