package io.sequencer.engine.poison;

import io.sequencer.domain.timer.Tick;
import io.sequencer.domain.timer.TimerDelay;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/**
 * Drains the poison queues into {@link PoisonedTicks}, where each poisoned tick is visible per sequence and can
 * be replayed (a poison queue is one pile for every account, and its messages expire after 7 days).
 *
 * <p>Crash-safe: a tick is recorded before its message is deleted, so a crash in between leaves the message,
 * which the next sweep records again onto the same entry. The reason a sweep records is only used when the
 * tick has no entry yet: the tick function records the real error on the last attempt, and that one is kept.
 */
public final class PoisonSweeper {
    /** Why a tick in the tick queue's poison queue has no entry: its last attempt ended without a word. */
    public static final String TICK_FUNCTION_DID_NOT_FINISH = "the tick function did not finish (crashed or timed out)";
    /** Why a tick is in the parking queue's poison queue: the pump could not read the message it was in. */
    public static final String PUMP_COULD_NOT_READ = "the timer pump could not read its parked message";
    /** How long a claimed message stays hidden from other sweeps while this one records it. */
    static final Duration LEASE = Duration.ofMinutes(1);
    /** A message that is not a tick is kept for a person, out of the sweeps' way: as long as a queue can hide it. */
    static final Duration SET_ASIDE = TimerDelay.MAX_VISIBILITY;
    private static final int BATCH = 32;

    private final List<Source> sources;
    private final PoisonedTicks poisoned;
    private final Predicate<Tick> enrolled;
    private final Clock clock;

    public PoisonSweeper(List<Source> sources, PoisonedTicks poisoned, Clock clock) {
        this(sources, poisoned, tick -> true, clock);
    }

    /**
     * A sweeper that deletes, without recording, a tick whose enrollment {@code enrolled} says is gone (its
     * subscriber was erased): a replay would find nothing to send, and the entry would name the subscriber again.
     * A tick whose enrollment cannot be read is recorded as before.
     */
    public PoisonSweeper(List<Source> sources, PoisonedTicks poisoned, Predicate<Tick> enrolled, Clock clock) {
        this.sources = List.copyOf(sources);
        this.poisoned = poisoned;
        this.enrolled = enrolled;
        this.clock = clock;
    }

    /** A poison queue, and the reason recorded for a tick found in it that has no entry yet. */
    public record Source(PoisonQueue queue, String reason) {}

    /** What one run did: ticks recorded (and deleted from their queue), messages set aside, and whether any are left. */
    public record Run(int recorded, int setAside, boolean more) {}

    /** Sweeps each queue in turn, up to {@code maxMessages} messages in all, stopping early after {@code budget}. */
    public Run run(int maxMessages, Duration budget) {
        Instant deadline = clock.instant().plus(budget);
        int recorded = 0;
        int setAside = 0;
        boolean more = false;
        for (Source source : sources) {
            while (true) {
                int want = Math.min(BATCH, maxMessages - recorded - setAside);
                if (want <= 0 || !clock.instant().isBefore(deadline)) {
                    more = true;
                    break;
                }
                List<PoisonQueue.Claim> claims = source.queue().claim(want, LEASE);
                if (claims.isEmpty()) {
                    break;
                }
                for (PoisonQueue.Claim claim : claims) {
                    if (!claim.ticks().isEmpty()) {
                        for (Tick tick : claim.ticks()) {
                            if (stillEnrolled(tick)) {
                                poisoned.recordIfAbsent(tick, source.reason(), clock.instant());
                            }
                        }
                        source.queue().remove(claim);
                        recorded++;
                    } else {
                        source.queue().setAside(claim, SET_ASIDE);
                        setAside++;
                    }
                }
            }
        }
        return new Run(recorded, setAside, more);
    }

    /** Whether the tick's enrollment exists; one that cannot be read (often why the tick was poisoned) counts. */
    private boolean stillEnrolled(Tick tick) {
        try {
            return enrolled.test(tick);
        } catch (RuntimeException cannotTell) {
            return true;
        }
    }
}
