package io.sequencer.testing;

import io.sequencer.channel.webhook.WebhookConfig;
import io.sequencer.domain.channel.StepMessaging;
import io.sequencer.domain.enrollment.LeaveReason;
import io.sequencer.domain.report.LatencyBuckets;
import io.sequencer.domain.report.PoisonSummary;
import io.sequencer.domain.report.SequenceReport;
import io.sequencer.domain.report.Tally;
import io.sequencer.domain.sequence.Delay;
import io.sequencer.domain.sequence.DelayUnit;
import io.sequencer.domain.sequence.Experiment;
import io.sequencer.domain.sequence.ReentryPolicy;
import io.sequencer.domain.sequence.Sequence;
import io.sequencer.domain.sequence.SequenceDraft;
import io.sequencer.domain.sequence.SequenceRules;
import io.sequencer.domain.sequence.Step;
import io.sequencer.domain.sequence.StepRules;
import io.sequencer.domain.sequence.Variant;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reports built the way the service builds them, through {@link SequenceReport#of} from tallies per day, with
 * figures shaped like a real campaign's (seeded, so every run draws the same page).
 */
public final class SampleReports {
    public static final LocalDate FIRST_DAY = LocalDate.of(2025, 3, 3);
    public static final Instant GENERATED_AT = Instant.parse("2025-04-02T08:30:00Z");
    public static final String POISON_ERROR = "TickFailure: webhook answered 500 <html><body>Internal error</body></html>"
            + " after 5 attempts";

    /** Each step of the sample sequence with its typical time from enrollment and how much of the funnel it keeps. */
    private record StepShape(String id, Delay delay, Duration typicalWait, double reach, double readRate,
                             double clickRate) {}

    private static final List<StepShape> STEPS = List.of(
            new StepShape("welcome", Delay.of(0, DelayUnit.SECONDS), Duration.ofSeconds(2), 1.0, 0.72, 0.31),
            new StepShape("tips", Delay.of(1, DelayUnit.DAYS), Duration.ofHours(24).plusMinutes(40), 0.93, 0.58, 0.19),
            new StepShape("case-study", Delay.of(3, DelayUnit.DAYS), Duration.ofDays(4).plusHours(2), 0.84, 0.49, 0.14),
            new StepShape("offer", Delay.of(2, DelayUnit.DAYS), Duration.ofDays(6).plusHours(5), 0.77, 0.52, 0.23),
            new StepShape("last-call", Delay.of(90, DelayUnit.MINUTES), Duration.ofDays(6).plusHours(7), 0.71, 0.44,
                    0.12));

    private SampleReports() {}

    /**
     * Five steps and a step since removed, {@code dayCount} days of activity from {@link #FIRST_DAY} with a weekly
     * rhythm, failures of every class, skips, leaves, restarts and one poisoned tick.
     */
    public static SequenceReport campaign(String name, int dayCount) {
        Random random = new Random(42);
        SortedMap<LocalDate, Tally> tallyByDay = new TreeMap<>();
        for (int d = 0; d < dayCount; d++) {
            LocalDate day = FIRST_DAY.plusDays(d);
            Map<String, Long> counts = new HashMap<>();
            boolean weekend = day.getDayOfWeek().getValue() >= 6;
            long enrolled = Math.round((weekend ? 70 : 160) * (1 + 0.5 * d / Math.max(1, dayCount)) * jitter(random));
            counts.put(Tally.ENROLLED, enrolled);
            counts.put(Tally.COMPLETED, Math.round(enrolled * 0.55 * jitter(random)));
            counts.put(Tally.RESTARTED, (long) random.nextInt(3));
            counts.put(Tally.left(LeaveReason.UNSUBSCRIBED), Math.round(enrolled * 0.06 * jitter(random)));
            counts.put(Tally.left(LeaveReason.GOAL), Math.round(enrolled * 0.09 * jitter(random)));
            counts.put(Tally.left(LeaveReason.BLOCKED), (long) random.nextInt(2));
            for (StepShape step : STEPS) {
                addStep(counts, step, Math.round(enrolled * step.reach() * jitter(random)), random);
            }
            if (d < 4) { // a step that was in the sequence when it started, and since removed
                addStep(counts, new StepShape("survey", Delay.of(2, DelayUnit.DAYS), Duration.ofDays(2), 1, 0.3, 0.05),
                        40 + random.nextInt(20), random);
            }
            tallyByDay.put(day, new Tally(counts));
        }
        PoisonSummary poisoned = new PoisonSummary(1, Optional.of(POISON_ERROR),
                Optional.of(GENERATED_AT.minus(Duration.ofHours(3))));
        return SequenceReport.of(sequence(name), tallyByDay, Optional.empty(), Optional.empty(), poisoned,
                GENERATED_AT);
    }

    /**
     * The campaign with an A/B test at its {@code offer} step and a 10 % holdout: variant {@code b} converts clearly
     * better than {@code a}, and the sequence lifts conversions over the held-out group.
     */
    public static SequenceReport abTest(String name) {
        Sequence plain = sequence(name);
        List<Step> steps = plain.steps().stream().map(s -> !s.id().equals("offer") ? s : new Step(s.id(), s.delay(),
                s.message(), true, Optional.empty(), StepRules.NONE, StepMessaging.DEFAULT, new Experiment(List.of(
                        new Variant("a", 50, "{\"text\":\"20 % off\"}"),
                        new Variant("b", 50, "{\"text\":\"A free month\"}")), List.of()))).toList();
        Sequence sequence = Sequence.create("acme", plain.id(), new SequenceDraft(name, steps, plain.channel(),
                Optional.empty(), Optional.empty(), new SequenceRules(ReentryPolicy.NEVER, List.of(), List.of(), false,
                        10)), GENERATED_AT);
        SortedMap<LocalDate, Tally> tallyByDay = new TreeMap<>(campaignTallies());
        Map<String, Long> test = new HashMap<>(Map.of(
                Tally.heldOut(Tally.ENROLLED), 300L, Tally.heldOut(Tally.left(LeaveReason.GOAL)), 12L,
                Tally.step("offer", Tally.CONVERTED), 240L, Tally.step("tips", Tally.CONVERTED), 80L,
                Tally.step("tips", Tally.UNSUBSCRIBED), 31L,
                Tally.variant("offer", "a", Tally.EXPOSED), 1200L, Tally.variant("offer", "a", Tally.CONVERTED), 96L,
                Tally.variant("offer", "b", Tally.EXPOSED), 1190L, Tally.variant("offer", "b", Tally.CONVERTED), 150L));
        tallyByDay.merge(tallyByDay.lastKey(), new Tally(test), Tally::plus);
        return SequenceReport.of(sequence, tallyByDay, Optional.empty(), Optional.empty(), PoisonSummary.NONE,
                GENERATED_AT);
    }

    private static SortedMap<LocalDate, Tally> campaignTallies() {
        SortedMap<LocalDate, Tally> out = new TreeMap<>();
        SequenceReport campaign = campaign("x", 30);
        for (SequenceReport.DayFigures day : campaign.days()) {
            out.put(day.day(), new Tally(Map.of(Tally.ENROLLED, day.enrolled(), Tally.left(LeaveReason.GOAL),
                    Math.round(day.enrolled() * 0.1), Tally.step("offer", Tally.SENT), Math.round(day.enrolled() * 0.8))));
        }
        return out;
    }

    /** The sample sequence over an explicit range of days with no activity at all in it. */
    public static SequenceReport quiet(String name, LocalDate from, LocalDate to) {
        return SequenceReport.of(sequence(name), new TreeMap<>(), Optional.of(from), Optional.of(to), PoisonSummary.NONE,
                GENERATED_AT);
    }

    /** The sample sequence's report when nothing was ever counted: no days at all. */
    public static SequenceReport untouched(String name) {
        return SequenceReport.of(sequence(name), new TreeMap<>(), Optional.empty(), Optional.empty(),
                PoisonSummary.NONE, GENERATED_AT);
    }

    public static Sequence sequence(String name) {
        List<Step> steps = STEPS.stream()
                .map(s -> new Step(s.id(), s.delay(), "{\"text\":\"" + s.id() + "\"}"))
                .toList();
        return Sequence.create("acme", "spring-onboarding", new SequenceDraft(name, steps,
                new WebhookConfig(URI.create("https://host.example/hooks/sequencer"), Optional.empty())),
                GENERATED_AT.minus(Duration.ofDays(60)));
    }

    private static void addStep(Map<String, Long> counts, StepShape step, long scheduled, Random random) {
        long failedTransient = random.nextInt(100) < 25 ? 1 + random.nextInt(3) : 0;
        long failedPermanent = random.nextInt(100) < 10 ? 1 : 0;
        long gone = Math.round(scheduled * 0.01 * jitter(random));
        long skipped = step.id().equals("case-study") ? Math.round(scheduled * 0.12 * jitter(random)) : 0;
        long sent = Math.max(0, scheduled - failedTransient - failedPermanent - gone - skipped);
        long delivered = Math.round(sent * 0.96 * Math.min(1, jitter(random)));
        long read = Math.round(delivered * step.readRate() * jitter(random));
        long clicked = Math.round(read * step.clickRate() / step.readRate() * jitter(random));
        counts.put(Tally.step(step.id(), Tally.SCHEDULED), scheduled);
        counts.put(Tally.step(step.id(), Tally.SENT), sent);
        counts.put(Tally.step(step.id(), "delivered"), delivered);
        counts.put(Tally.step(step.id(), "read"), read);
        counts.put(Tally.step(step.id(), "clicked"), Math.min(read, clicked));
        counts.put(Tally.step(step.id(), "replied"), Math.round(read * 0.04 * jitter(random)));
        counts.put(Tally.step(step.id(), Tally.FAILED, "transient"), failedTransient);
        counts.put(Tally.step(step.id(), Tally.FAILED, "permanent"), failedPermanent);
        counts.put(Tally.step(step.id(), Tally.FAILED, "recipient_gone"), gone);
        counts.put(Tally.step(step.id(), Tally.SKIPPED, "condition_not_met"), skipped * 3 / 4);
        counts.put(Tally.step(step.id(), Tally.SKIPPED, "outside_messaging_window"), skipped - skipped * 3 / 4);
        // the sends spread around the step's typical wait, as real ones do around their delay and send window
        long typical = step.typicalWait().toMillis();
        for (long n = 0; n < sent; n += 10) {
            long millis = Math.round(typical * (0.9 + 0.2 * random.nextDouble()));
            counts.merge(Tally.step(step.id(), Tally.LATENCY, Integer.toString(LatencyBuckets.bucketOf(millis))),
                    Math.min(10, sent - n), Long::sum);
        }
    }

    private static double jitter(Random random) {
        return 0.85 + 0.3 * random.nextDouble();
    }
}
