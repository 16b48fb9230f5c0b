package io.sequencer.engine;

import io.sequencer.domain.PoisonSummary;

/** Port: ticks that failed every attempt and left the tick queue, kept per sequence so reports show them. */
public interface PoisonedTicks {
    /** How many ticks of the sequence are poisoned now, with the latest error; {@link PoisonSummary#NONE} if none. */
    PoisonSummary summary(String account, String sequenceId);
}
