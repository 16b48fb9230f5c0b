package io.sequencer.functions;

import io.sequencer.domain.SafeText;
import io.sequencer.domain.timer.Tick;
import io.sequencer.engine.poison.PoisonedTicks;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A tick's last attempt before the host poisons it: why it failed is known only here, so it is recorded with
 * the tick, and the sequence shows a poisoned tick with its real error instead of the sweeper's guess.
 */
final class LastAttempt {
    /** Kept as short as a failed send's detail. */
    static final int MAX_ERROR = 200;

    private LastAttempt() {}

    /** True when the host poisons the message if this attempt fails ({@code maxDequeueCount} in host.json). */
    static boolean isLast(long dequeueCount) {
        return dequeueCount >= StorageNames.MAX_DEQUEUE_COUNT;
    }

    /**
     * Records {@code tick} as poisoned by {@code failure}. Never throws: the caller rethrows {@code failure}, the
     * error that matters, and a failure to record is only logged (the sweeper still records the tick, with a
     * general reason, when the host has moved it to the poison queue).
     */
    static void record(PoisonedTicks poisoned, Tick tick, RuntimeException failure, Instant at, Logger log) {
        try {
            poisoned.record(tick, SafeText.summaryOf(failure, MAX_ERROR), at);
        } catch (RuntimeException recordFailure) {
            log.log(Level.SEVERE, "tick poisoned account=" + tick.key().account() + " sequence=" + tick.key().sequenceId()
                    + " subscriber=" + tick.key().subscriberId() + " epoch=" + tick.epoch() + " cursor=" + tick.cursor()
                    + "; its error could not be recorded: " + SafeText.summaryOf(recordFailure, MAX_ERROR));
        }
    }
}
