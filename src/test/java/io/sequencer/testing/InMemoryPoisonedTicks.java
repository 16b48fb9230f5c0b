package io.sequencer.testing;

import io.sequencer.domain.report.PoisonSummary;
import io.sequencer.domain.timer.PoisonedTick;
import io.sequencer.domain.timer.Tick;
import io.sequencer.engine.Stored;
import io.sequencer.engine.poison.PoisonedTicks;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/** In-memory {@link PoisonedTicks} with ETags: one ordered map of entries per sequence. */
public final class InMemoryPoisonedTicks implements PoisonedTicks {
    private final Map<String, NavigableMap<String, Stored<PoisonedTick>>> sequences = new TreeMap<>();
    private final AtomicLong etags = new AtomicLong();

    @Override
    public synchronized PoisonSummary summary(String account, String sequenceId) {
        List<PoisonedTick> entries = entries(account, sequenceId).values().stream().map(Stored::value).toList();
        return entries.stream().max(Comparator.comparing(PoisonedTick::at))
                .map(latest -> new PoisonSummary(entries.size(), Optional.of(latest.error()), Optional.of(latest.at())))
                .orElse(PoisonSummary.NONE);
    }

    @Override
    public synchronized void record(Tick tick, String error, Instant at) {
        NavigableMap<String, Stored<PoisonedTick>> entries = entries(tick.key().account(), tick.key().sequenceId());
        Stored<PoisonedTick> current = entries.get(id(tick));
        entries.put(id(tick), stored(current == null ? PoisonedTick.first(tick, error, at)
                : current.value().poisonedAgain(tick, error, at)));
    }

    @Override
    public synchronized void recordIfAbsent(Tick tick, String reason, Instant at) {
        entries(tick.key().account(), tick.key().sequenceId()).putIfAbsent(id(tick), stored(PoisonedTick.first(tick, reason, at)));
    }

    @Override
    public synchronized Page list(String account, String sequenceId, Optional<String> after, int max) {
        NavigableMap<String, Stored<PoisonedTick>> entries = entries(account, sequenceId);
        NavigableMap<String, Stored<PoisonedTick>> rest = after.map(a -> entries.tailMap(a, false)).orElse(entries);
        List<Stored<PoisonedTick>> page = new ArrayList<>(rest.values().stream().limit(max).toList());
        boolean more = rest.size() > page.size();
        return new Page(page, more ? Optional.of(id(page.get(page.size() - 1).value().tick())) : Optional.empty());
    }

    @Override
    public synchronized void remove(Stored<PoisonedTick> entry) {
        Tick tick = entry.value().tick();
        entries(tick.key().account(), tick.key().sequenceId()).remove(id(tick), entry);
    }

    private NavigableMap<String, Stored<PoisonedTick>> entries(String account, String sequenceId) {
        return sequences.computeIfAbsent(account + "|" + sequenceId, k -> new TreeMap<>());
    }

    private static String id(Tick tick) {
        return tick.key().subscriberId() + "|" + tick.epoch() + "|" + tick.cursor() + "|" + tick.token();
    }

    private Stored<PoisonedTick> stored(PoisonedTick entry) {
        return new Stored<>(entry, "W/\"" + etags.incrementAndGet() + "\"");
    }
}
