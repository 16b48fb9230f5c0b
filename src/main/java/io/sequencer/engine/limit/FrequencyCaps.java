package io.sequencer.engine.limit;

import io.sequencer.domain.limit.CapRule;
import io.sequencer.domain.limit.FrequencyLimits;
import io.sequencer.domain.limit.SendLog;
import io.sequencer.engine.AlreadyExists;
import io.sequencer.engine.Conflict;
import io.sequencer.engine.NotFound;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps each account's frequency caps: sets, shows and removes them, and lets a send through only when it fits.
 *
 * <p>A send that fits is logged under its delivery id <em>before</em> it is made: a crash between the log and the
 * send leaves the entry, and the redelivered tick (same delivery id) finds it and sends without counting again; a
 * crash can therefore never let a send go uncounted. Two instances sending to one subscriber at once write the log
 * conditionally (ETag), so only one takes the last place; the other reads again and is held or skipped. A send the
 * receiver never got (a permanent failure reported before it) gives its place back ({@link #release}).
 *
 * <p>Caps are cached for {@link #TTL} per account, so a step of an account without caps costs no read at all once
 * the cache holds the answer; a change made by another instance applies within that time.
 */
public final class FrequencyCaps {
    /** How long an account's caps are taken from memory. */
    public static final Duration TTL = Duration.ofSeconds(30);
    private static final int MAX_RACES = 5;
    private static final int MAX_CACHED = 10_000;

    /** No caps anywhere: every send goes, nothing is read or written. */
    public static final FrequencyCaps NONE = new FrequencyCaps(null, Clock.systemUTC());

    private record Cached(Optional<FrequencyLimits> limits, Instant until) {}

    private final CapStore store;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public FrequencyCaps(CapStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Whether the account's caps can be set (a store is configured). */
    public boolean available() {
        return store != null;
    }

    public FrequencyLimits define(FrequencyLimits limits) {
        requireStore().putLimits(limits);
        cache.remove(limits.account());
        return limits;
    }

    /** @throws NotFound when the account has no caps */
    public FrequencyLimits get(String account) {
        return requireStore().limits(account).orElseThrow(() -> new NotFound("frequency limits of account " + account));
    }

    public void delete(String account) {
        requireStore().deleteLimits(account);
        cache.remove(account);
    }

    /**
     * Lets the send of {@code deliveryId} to a subscriber on {@code channel} (a channel type) through the account's
     * caps, logging it when it fits. An exempt send is neither judged nor logged.
     */
    public CapRule.Verdict admit(String account, String subscriberId, String channel, String deliveryId, boolean exempt) {
        if (exempt || store == null) {
            return new CapRule.Verdict.Allowed();
        }
        Optional<FrequencyLimits> limits = cached(account);
        if (limits.isEmpty()) {
            return new CapRule.Verdict.Allowed();
        }
        for (int race = 0; race < MAX_RACES; race++) {
            Instant now = clock.instant();
            Optional<Stored<SendLog>> stored = store.log(account, subscriberId);
            SendLog log = stored.map(Stored::value).orElse(SendLog.EMPTY);
            CapRule.Verdict verdict = CapRule.judge(limits.get(), log, channel, deliveryId, now);
            if (!(verdict instanceof CapRule.Verdict.Allowed) || log.has(deliveryId)) {
                return verdict;
            }
            SendLog logged = log.with(new SendLog.Entry(deliveryId, now, channel), limits.get().longestPeriod());
            try {
                if (stored.isEmpty()) {
                    store.createLog(account, subscriberId, logged);
                } else {
                    store.replaceLog(account, subscriberId, logged, stored.get().etag());
                }
                return verdict;
            } catch (AlreadyExists | StaleWrite lostRace) {
                // Another send to this subscriber was logged meanwhile: judge again with it counted.
            }
        }
        throw new Conflict("the send log of subscriber " + subscriberId + " keeps changing; the send will be retried");
    }

    /**
     * Gives back the place of a send that never reached its receiver (refused before it). Best effort: a lost race
     * leaves the entry, which only counts one send too many until it ages out. An account without caps logged
     * nothing, and costs no request here.
     */
    public void release(String account, String subscriberId, String deliveryId) {
        if (store == null || cached(account).isEmpty()) {
            return;
        }
        Optional<Stored<SendLog>> stored = store.log(account, subscriberId);
        if (stored.isEmpty() || !stored.get().value().has(deliveryId)) {
            return;
        }
        try {
            store.replaceLog(account, subscriberId, stored.get().value().without(deliveryId), stored.get().etag());
        } catch (StaleWrite lostRace) {
            // Changed meanwhile; the entry ages out.
        }
    }

    private Optional<FrequencyLimits> cached(String account) {
        Instant now = clock.instant();
        Cached cached = cache.get(account);
        if (cached == null || !now.isBefore(cached.until())) {
            if (cache.size() >= MAX_CACHED) {
                cache.values().removeIf(c -> !now.isBefore(c.until()));
            }
            cached = new Cached(store.limits(account), now.plus(TTL));
            cache.put(account, cached);
        }
        return cached.limits();
    }

    private CapStore requireStore() {
        if (store == null) {
            throw new IllegalStateException("no store for frequency limits is configured");
        }
        return store;
    }
}
