package io.sequencer.engine.idempotency;

import io.sequencer.engine.AlreadyExists;
import io.sequencer.engine.Conflict;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Runs a request at most once per account and idempotency key, and answers its retries with its first answer.
 *
 * <p>Why this order: the key is claimed by a conditional create <em>before</em> the request runs, so of two
 * attempts in flight at once only one runs (the other is told the key is in use). The answer is recorded after the
 * request, conditional on the claim still being this attempt's (read again by its claim id, then replaced
 * only if unchanged since that read). A crash in between leaves a running claim; its lease ending lets the
 * client's next retry take the key over and run the request (as it would without a key).
 * A 5xx or 429 answer is not kept: the claim is released so that a retry runs again.
 */
public final class IdempotentRequests {
    /** How long an answer is given again. */
    public static final Duration RETENTION = IdempotencyRecord.RETENTION;
    /**
     * How often one instance deletes records that no longer hold their key. Reads ignore such records anyway;
     * deleting them only bounds the table, so a scan every few minutes is plenty.
     */
    public static final Duration SWEEP_EVERY = Duration.ofMinutes(10);
    /**
     * How long a running claim holds the key: far longer than our requests run (the slowest, a 1,000-entry batch
     * enroll, takes seconds), and short enough that a retry after a crash does not wait long. A request still
     * running when it ends (the platform lets one run up to 230 s) may be run a second time by a retry.
     */
    public static final Duration LEASE = Duration.ofMinutes(2);
    /** Attempts to settle who holds a key while others claim, release or take it over at the same moment. */
    private static final int ATTEMPTS = 5;

    private final IdempotencyStore store;
    private final Clock clock;
    private final Duration lease;
    private volatile Instant nextSweepAt = Instant.MIN;

    public IdempotentRequests(IdempotencyStore store, Clock clock) {
        this(store, clock, LEASE);
    }

    public IdempotentRequests(IdempotencyStore store, Clock clock, Duration lease) {
        this.store = store;
        this.clock = clock;
        this.lease = lease;
    }

    /** What to do with a request carrying a key. */
    public sealed interface Start {
        /** The key is this attempt's: run the request, then {@link #finish} it. */
        record Run(Claim claim) implements Start {}

        /** The request ran before: give its answer again. */
        record Replay(RecordedAnswer answer) implements Start {}
    }

    /** This attempt's hold on a key. */
    public record Claim(IdempotencyRecord record) {}

    /**
     * Claims {@code key} for the request with {@code fingerprint}, or finds its earlier answer.
     *
     * @throws IdempotencyKeyReused when the key was first used with another request
     * @throws IdempotencyKeyInUse  when an attempt with the key is running now
     */
    public Start start(String account, String key, String fingerprint) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Instant now = clock.instant();
            IdempotencyRecord claim = IdempotencyRecord.running(account, key, fingerprint, UUID.randomUUID().toString(),
                    now, now.plus(lease));
            try {
                store.create(claim);
                return new Start.Run(new Claim(claim));
            } catch (AlreadyExists held) {
                // read who holds it below
            }
            Optional<Stored<IdempotencyRecord>> found = store.find(account, key);
            if (found.isEmpty()) {
                continue; // released (a 5xx) since: claim again
            }
            IdempotencyRecord held = found.get().value();
            if (isFree(held, now)) {
                try {
                    store.replace(claim, found.get().etag());
                    return new Start.Run(new Claim(claim));
                } catch (StaleWrite raced) {
                    continue;
                }
            }
            if (!held.fingerprint().equals(fingerprint)) {
                throw new IdempotencyKeyReused();
            }
            if (held.phase() instanceof IdempotencyRecord.Phase.Answered answered) {
                return new Start.Replay(answered.answer());
            }
            Instant leaseEnds = ((IdempotencyRecord.Phase.Running) held.phase()).leaseEnds();
            throw new IdempotencyKeyInUse(ceilSeconds(Duration.between(now, leaseEnds)));
        }
        throw new Conflict("requests with this idempotency key kept racing for it; retry");
    }

    /**
     * Records the answer of the attempt holding {@code claim}, or releases the key when the answer is a 5xx or 429.
     *
     * @return false when the claim was no longer this attempt's (its lease ended and a retry took the key over)
     */
    public boolean finish(Claim claim, RecordedAnswer answer) {
        IdempotencyRecord record = claim.record();
        Optional<Stored<IdempotencyRecord>> held = store.find(record.account(), record.key())
                .filter(found -> found.value().claimId().equals(record.claimId())
                        && found.value().phase() instanceof IdempotencyRecord.Phase.Running);
        if (held.isEmpty()) {
            return false; // taken over after the lease ended: the attempt that holds the key now answers
        }
        if (!answer.keepable()) {
            return store.delete(record.account(), record.key(), held.get().etag());
        }
        try {
            store.replace(record.answered(answer, clock.instant()), held.get().etag());
            return true;
        } catch (StaleWrite takenOver) {
            return false;
        }
    }

    /**
     * Deletes up to {@code max} records that no longer hold their key, when {@link #SWEEP_EVERY} has passed since
     * this instance last did; returns how many. A record taken over meanwhile is kept (the delete is conditional).
     */
    public int sweep(int max) {
        Instant now = clock.instant();
        if (now.isBefore(nextSweepAt)) {
            return 0;
        }
        nextSweepAt = now.plus(SWEEP_EVERY);
        return store.removeFreedBefore(now, max);
    }

    /** An answer older than the retention, or a claim whose lease ended, no longer holds the key. */
    private static boolean isFree(IdempotencyRecord held, Instant now) {
        return !now.isBefore(held.freeAt());
    }

    private static Duration ceilSeconds(Duration duration) {
        long seconds = Math.max(1, (duration.toMillis() + 999) / 1000);
        return Duration.ofSeconds(seconds);
    }
}
