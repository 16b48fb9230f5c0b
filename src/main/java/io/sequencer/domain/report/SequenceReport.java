package io.sequencer.domain.report;

import io.sequencer.domain.enrollment.LeaveReason;
import io.sequencer.domain.sequence.Experiment;
import io.sequencer.domain.sequence.Sequence;
import io.sequencer.domain.subscriber.Engagement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a sequence achieved: its enrollments, each step's funnel and conversions, counts per day, poisoned ticks and
 * its holdout's comparison ({@link Conversions}), read off the sequence's tally. Counts cover the days asked for (all days when none were); {@code active} is always now.
 */
public record SequenceReport(
        String account,
        String sequenceId,
        String name,
        Instant generatedAt,
        Optional<LocalDate> from,
        Optional<LocalDate> to,
        EnrollmentFigures enrollments,
        List<StepFigures> steps,
        List<DayFigures> days,
        PoisonSummary poisoned,
        Optional<Conversions.HoldoutFigures> holdout) {

    /** The longest range of days one report covers. */
    public static final int MAX_DAYS = 366;
    /**
     * The days a report's range may name: those with four-digit years. A date parser accepts far more
     * ({@code +999999999-12-31}), and the day after such a date cannot be computed.
     */
    public static final LocalDate FIRST_DAY = LocalDate.of(1, 1, 1);
    public static final LocalDate LAST_DAY = LocalDate.of(9999, 12, 31);
    static final List<String> FAILURE_CLASSES = List.of("transient", "permanent", "recipient_gone");

    /** A report of a sequence without a holdout. */
    public SequenceReport(String account, String sequenceId, String name, Instant generatedAt, Optional<LocalDate> from,
                          Optional<LocalDate> to, EnrollmentFigures enrollments, List<StepFigures> steps,
                          List<DayFigures> days, PoisonSummary poisoned) {
        this(account, sequenceId, name, generatedAt, from, to, enrollments, steps, days, poisoned, Optional.empty());
    }

    public record EnrollmentFigures(long enrolled, long active, long completed, long restarted, Map<String, Long> left) {
        public long leftTotal() {
            return left.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * One step's funnel. {@code position} is 1-based in the current definition; a step since removed from the
     * definition keeps its figures with no position (and no {@code message}: the step's message as defined, its
     * templates unrendered). Rates are of sends; the median is of enrollment to send. {@code sentByChannel} counts
     * the sends by the type of channel they went on (sends recorded before steps could fall back name none).
     * {@code waiting} is, like {@code active}, always now: the active enrollments whose next step this is.
     * {@code converted} and {@code unsubscribed} count the goals and unsubscribes whose last step sent before them
     * was this one; {@code variants} the step's A/B variants or split paths.
     */
    public record StepFigures(String stepId, Optional<Integer> position, long waiting, long scheduled, long sent, long delivered,
                              long read, long clicked, long replied, Map<String, Long> failed,
                              Map<String, Long> skipped, Optional<Duration> medianTimeToStep, Optional<String> message,
                              Map<String, Long> sentByChannel, long converted, long unsubscribed,
                              List<Conversions.VariantFigures> variants) {
        /** Figures of sends that name no channel, with nothing waiting, without conversions or variants. */
        public StepFigures(String stepId, Optional<Integer> position, long scheduled, long sent, long delivered,
                           long read, long clicked, long replied, Map<String, Long> failed, Map<String, Long> skipped,
                           Optional<Duration> medianTimeToStep, Optional<String> message) {
            this(stepId, position, 0, scheduled, sent, delivered, read, clicked, replied, failed, skipped,
                    medianTimeToStep, message, Map.of(), 0, 0, List.of());
        }

        public long failedTotal() {
            return failed.values().stream().mapToLong(Long::longValue).sum();
        }

        public long skippedTotal() {
            return skipped.values().stream().mapToLong(Long::longValue).sum();
        }

        public Optional<Double> readRate() {
            return rate(read);
        }

        public Optional<Double> clickRate() {
            return rate(clicked);
        }

        public Optional<Double> conversionRate() {
            return rate(converted);
        }

        public Optional<Double> unsubscribeRate() {
            return rate(unsubscribed);
        }

        private Optional<Double> rate(long count) {
            return Rates.of(count, sent);
        }
    }

    public record DayFigures(LocalDate day, long enrolled, long completed, long left, long sent, long delivered,
                             long read, long clicked, long failed, long skipped) {}

    /**
     * The report of {@code sequence} from its tally per day, over {@code from}..{@code to} (inclusive; either may
     * be open). Days without counts inside the covered span appear with zeros, so charts have no gaps.
     */
    public static SequenceReport of(Sequence sequence, SortedMap<LocalDate, Tally> tallyByDay, Optional<LocalDate> from,
                                    Optional<LocalDate> to, PoisonSummary poisoned, Instant now) {
        Tally allTime = sum(tallyByDay);
        SortedMap<LocalDate, Tally> inRange = new TreeMap<>(tallyByDay);
        from.ifPresent(f -> inRange.headMap(f).clear());
        to.ifPresent(t -> inRange.tailMap(t.plusDays(1)).clear());
        Tally counted = sum(inRange);

        Map<String, Long> left = new LinkedHashMap<>();
        for (LeaveReason reason : LeaveReason.values()) {
            left.put(reason.wireName(), counted.get(Tally.left(reason)));
        }
        long active = allTime.get(Tally.ENROLLED) - allTime.get(Tally.COMPLETED) - allTime.get(Tally.RESTARTED)
                - sumOfPrefix(allTime, Tally.LEFT + "|");
        EnrollmentFigures enrollments = new EnrollmentFigures(counted.get(Tally.ENROLLED), active,
                counted.get(Tally.COMPLETED), counted.get(Tally.RESTARTED), left);

        List<StepFigures> steps = new ArrayList<>();
        for (String stepId : stepIds(sequence, allTime)) {
            Optional<Integer> index = sequence.indexOf(stepId);
            steps.add(stepFigures(stepId, index.map(i -> i + 1), allTime.get(Tally.step(stepId, Tally.WAITING)), counted,
                    index.map(i -> sequence.step(i).message()), index.map(i -> sequence.step(i).experiment())));
        }
        return new SequenceReport(sequence.account(), sequence.id(), sequence.name(), now, from, to, enrollments,
                steps, days(inRange, from, to), poisoned, Conversions.holdout(sequence.rules().holdout(), counted));
    }

    /** The current definition's steps in order, then any step that has counts but is no longer defined. */
    private static Set<String> stepIds(Sequence sequence, Tally allTime) {
        Set<String> ids = new LinkedHashSet<>();
        sequence.steps().forEach(step -> ids.add(step.id()));
        for (String name : allTime.counts().keySet()) {
            if (name.startsWith(Tally.STEP + "|")) {
                ids.add(name.split("\\|", 3)[1]);
            }
        }
        return ids;
    }

    private static StepFigures stepFigures(String stepId, Optional<Integer> position, long waiting, Tally t,
                                           Optional<String> message, Optional<Experiment> experiment) {
        Map<String, Long> failed = new LinkedHashMap<>();
        FAILURE_CLASSES.forEach(c -> failed.put(c, t.get(Tally.step(stepId, Tally.FAILED, c))));
        Map<String, Long> skipped = new TreeMap<>();
        Map<Integer, Long> latency = new TreeMap<>();
        Map<String, Long> sentByChannel = new TreeMap<>();
        String viaPrefix = Tally.step(stepId, Tally.VIA, "");
        String skippedPrefix = Tally.step(stepId, Tally.SKIPPED, "");
        String latencyPrefix = Tally.step(stepId, Tally.LATENCY, "");
        t.counts().forEach((name, count) -> {
            if (name.startsWith(skippedPrefix)) {
                skipped.put(name.substring(skippedPrefix.length()), count);
            } else if (name.startsWith(latencyPrefix)) {
                latency.put(Integer.parseInt(name.substring(latencyPrefix.length())), count);
            } else if (name.startsWith(viaPrefix)) {
                sentByChannel.put(name.substring(viaPrefix.length()), count);
            }
        });
        return new StepFigures(stepId, position, waiting, t.get(Tally.step(stepId, Tally.SCHEDULED)),
                t.get(Tally.step(stepId, Tally.SENT)), t.get(Tally.step(stepId, Engagement.DELIVERED.wireName())),
                t.get(Tally.step(stepId, Engagement.READ.wireName())), t.get(Tally.step(stepId, Engagement.CLICKED.wireName())),
                t.get(Tally.step(stepId, Engagement.REPLIED.wireName())), failed, skipped, LatencyBuckets.median(latency),
                message, sentByChannel, t.get(Tally.step(stepId, Tally.CONVERTED)),
                t.get(Tally.step(stepId, Tally.UNSUBSCRIBED)), Conversions.variants(stepId, experiment, t));
    }

    private static List<DayFigures> days(SortedMap<LocalDate, Tally> inRange, Optional<LocalDate> from,
                                         Optional<LocalDate> to) {
        if (inRange.isEmpty() && (from.isEmpty() || to.isEmpty())) {
            return List.of();
        }
        LocalDate first = from.orElseGet(inRange::firstKey);
        LocalDate last = to.orElseGet(inRange::lastKey);
        if (first.plusDays(MAX_DAYS).isBefore(last)) {
            first = last.minusDays(MAX_DAYS - 1); // an open range over a long life: the latest days
        }
        List<DayFigures> days = new ArrayList<>();
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            Tally t = inRange.getOrDefault(day, Tally.EMPTY);
            days.add(new DayFigures(day, t.get(Tally.ENROLLED), t.get(Tally.COMPLETED), sumOfPrefix(t, Tally.LEFT + "|"),
                    sumOfMetric(t, Tally.SENT), sumOfMetric(t, Engagement.DELIVERED.wireName()),
                    sumOfMetric(t, Engagement.READ.wireName()), sumOfMetric(t, Engagement.CLICKED.wireName()),
                    sumOfMetric(t, Tally.FAILED), sumOfMetric(t, Tally.SKIPPED)));
        }
        return days;
    }

    /** The sends of every step by the type of channel they went on. */
    public Map<String, Long> sentByChannel() {
        Map<String, Long> total = new TreeMap<>();
        steps.forEach(step -> step.sentByChannel().forEach((channel, count) -> total.merge(channel, count, Long::sum)));
        return total;
    }

    /** The sum over every step of {@code metric} (and its sub-counters, as failures by class). */
    private static long sumOfMetric(Tally t, String metric) {
        long total = 0;
        for (Map.Entry<String, Long> counter : t.counts().entrySet()) {
            String[] parts = counter.getKey().split("\\|");
            if (parts.length >= 3 && parts[0].equals(Tally.STEP) && parts[2].equals(metric)) {
                total += counter.getValue();
            }
        }
        return total;
    }

    private static long sumOfPrefix(Tally t, String prefix) {
        return t.counts().entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .mapToLong(Map.Entry::getValue).sum();
    }

    private static Tally sum(SortedMap<LocalDate, Tally> byDay) {
        return byDay.values().stream().reduce(Tally.EMPTY, Tally::plus);
    }
}
