package io.sequencer.domain.report;

import java.time.Instant;
import java.util.Optional;

/** How many ticks of one sequence ended in a poison queue, and the most recent error among them. */
public record PoisonSummary(long count, Optional<String> lastError, Optional<Instant> lastAt) {
    public static final PoisonSummary NONE = new PoisonSummary(0, Optional.empty(), Optional.empty());

    public PoisonSummary {
        if (count < 0 || lastError == null || lastAt == null) {
            throw new IllegalArgumentException("count is never negative; lastError and lastAt may be empty, not null");
        }
    }
}
