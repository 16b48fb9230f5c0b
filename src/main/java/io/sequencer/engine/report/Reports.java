package io.sequencer.engine.report;

import io.sequencer.domain.Ids;
import io.sequencer.domain.Invalid;
import io.sequencer.domain.report.SequenceReport;
import io.sequencer.domain.sequence.Sequence;
import io.sequencer.engine.NotFound;
import io.sequencer.engine.Stored;
import io.sequencer.engine.enrollment.EnrollmentStore;
import io.sequencer.engine.poison.PoisonedTicks;
import io.sequencer.engine.sequence.SequenceStore;
import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Builds a sequence's report from its tally and its poisoned ticks: a handful of requests whatever the number of
 * enrollments (the sequence, the tally rows, the poison rows), never a scan of enrollments.
 */
public final class Reports {
    private final SequenceStore sequences;
    private final EnrollmentStore enrollments;
    private final PoisonedTicks poisoned;
    private final Clock clock;

    public Reports(SequenceStore sequences, EnrollmentStore enrollments, PoisonedTicks poisoned, Clock clock) {
        this.sequences = sequences;
        this.enrollments = enrollments;
        this.poisoned = poisoned;
        this.clock = clock;
    }

    /** The report over {@code from}..{@code to} (UTC days, inclusive, either may be open; at most a year). */
    public SequenceReport sequence(String account, String sequenceId, Optional<LocalDate> from, Optional<LocalDate> to) {
        Ids.require("account", account);
        Ids.require("sequenceId", sequenceId);
        requireReportable("from", from);
        requireReportable("to", to);
        if (from.isPresent() && to.isPresent()) {
            if (to.get().isBefore(from.get())) {
                throw new Invalid("to", "must not be before from");
            }
            if (ChronoUnit.DAYS.between(from.get(), to.get()) >= SequenceReport.MAX_DAYS) {
                throw new Invalid("to", "a report covers at most " + SequenceReport.MAX_DAYS + " days");
            }
        }
        Sequence sequence = sequences.find(account, sequenceId).map(Stored::value)
                .orElseThrow(() -> new NotFound("sequence " + sequenceId));
        return SequenceReport.of(sequence, enrollments.tally(account, sequenceId), from, to,
                poisoned.summary(account, sequenceId), clock.instant());
    }

    private static void requireReportable(String field, Optional<LocalDate> day) {
        if (day.isPresent() && (day.get().isBefore(SequenceReport.FIRST_DAY) || day.get().isAfter(SequenceReport.LAST_DAY))) {
            throw new Invalid(field, "must be a UTC date between " + SequenceReport.FIRST_DAY + " and " + SequenceReport.LAST_DAY);
        }
    }
}
