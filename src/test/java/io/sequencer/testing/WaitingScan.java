package io.sequencer.testing;

import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.report.Tally;
import io.sequencer.engine.enrollment.EnrollmentFilter;
import io.sequencer.engine.enrollment.EnrollmentPage;
import io.sequencer.engine.enrollment.EnrollmentStore;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The {@code waiting} gauges of a sequence's tally, and the same figures counted by reading every enrollment. */
public final class WaitingScan {
    private WaitingScan() {}

    /** Step id to the gauge's value (all days summed), for every gauge that is not zero. */
    public static Map<String, Long> gauges(EnrollmentStore store, String account, String sequenceId) {
        Tally all = store.tally(account, sequenceId).values().stream().reduce(Tally.EMPTY, Tally::plus);
        Map<String, Long> out = new TreeMap<>();
        all.counts().forEach((name, count) -> {
            String[] parts = name.split("\\|");
            if (parts.length == 3 && parts[0].equals("step") && parts[2].equals(Tally.WAITING)) {
                out.put(parts[1], count);
            }
        });
        return out;
    }

    /** Step id to the number of active enrollments waiting for it, read off every enrollment of the sequence. */
    public static Map<String, Long> scanned(EnrollmentStore store, String account, String sequenceId) {
        Map<String, Long> out = new TreeMap<>();
        Optional<String> from = Optional.empty();
        do {
            EnrollmentPage page = store.page(account, sequenceId, EnrollmentFilter.ALL, from, 1000);
            for (Enrollment e : page.enrollments()) {
                if (e.isActive()) {
                    out.merge(e.nextStepId(), 1L, Long::sum);
                }
            }
            from = page.next();
        } while (from.isPresent());
        return out;
    }
}
