package io.sequencer.engine.idempotency;

import java.time.Duration;
import java.time.Instant;

/**
 * What one account's idempotency key stands for: the request it was first used with (its fingerprint), the
 * claim of the attempt that runs it, and then the answer that attempt gave.
 *
 * @param fingerprint digest of the canonical request (method, path, body); a key is for one request only
 * @param claimId     which attempt holds the key, so that only that attempt records its answer
 */
public record IdempotencyRecord(String account, String key, String fingerprint, String claimId, Instant claimedAt,
                                Phase phase) {
    /** How long an answer is given again. */
    static final Duration RETENTION = Duration.ofHours(24);

    /** Where the request stands: still running under a lease, or answered. */
    public sealed interface Phase {
        /** Running; a claim whose lease has ended was left by an attempt that crashed, and may be taken over. */
        record Running(Instant leaseEnds) implements Phase {}

        record Answered(RecordedAnswer answer, Instant answeredAt) implements Phase {}
    }

    public static IdempotencyRecord running(String account, String key, String fingerprint, String claimId,
                                            Instant now, Instant leaseEnds) {
        return new IdempotencyRecord(account, key, fingerprint, claimId, now, new Phase.Running(leaseEnds));
    }

    /** When the record stops holding its key: an answer after {@link #RETENTION}, a claim when its lease ends. */
    public Instant freeAt() {
        if (phase instanceof Phase.Answered answered) {
            return answered.answeredAt().plus(RETENTION);
        }
        return ((Phase.Running) phase).leaseEnds();
    }

    public IdempotencyRecord answered(RecordedAnswer answer, Instant now) {
        return new IdempotencyRecord(account, key, fingerprint, claimId, claimedAt, new Phase.Answered(answer, now));
    }
}
