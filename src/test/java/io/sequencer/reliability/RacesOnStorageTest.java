package io.sequencer.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.channel.webhook.WebhookConfig;
import io.sequencer.domain.enrollment.DeliveryId;
import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.enrollment.EnrollmentStatus;
import io.sequencer.domain.enrollment.LeaveReason;
import io.sequencer.domain.report.Tally;
import io.sequencer.domain.sequence.Delay;
import io.sequencer.domain.sequence.DelayUnit;
import io.sequencer.domain.sequence.ReentryPolicy;
import io.sequencer.domain.sequence.SequenceDraft;
import io.sequencer.domain.sequence.SequenceRules;
import io.sequencer.domain.sequence.Step;
import io.sequencer.domain.timer.Tick;
import io.sequencer.domain.timer.TimerShard;
import io.sequencer.engine.enrollment.EnrollResult;
import io.sequencer.testing.AzureEngineRig;
import io.sequencer.testing.Azurite;
import io.sequencer.testing.ReliabilityFigures;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Races run with real threads on the real Table and Queue adapters (Azurite): leave against a due tick,
 * re-enroll against a stale tick, sequence edits against running ticks, two instances handling one tick at
 * once, and concurrent enrolls of one subscriber, with ticks spread over two shard queues. Each is run many
 * times; none may lose a step, send one after leaving, or send one step under two delivery ids.
 */
class RacesOnStorageTest {
    private static final String ACCOUNT = "racing";
    private static final int ROUNDS = 25;
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(60);
    private static final List<String> THREE_STEPS = List.of("step-1", "step-2", "step-3");

    private AzureEngineRig rig;
    private final Random random = new Random(7);

    @BeforeEach
    void rig() {
        // Ticks spread over two queues, each with its trigger: the races are the same whichever queue a tick is in.
        rig = new AzureEngineRig(Azurite.shared().clients(), 2, 2);
    }

    @AfterEach
    void close() {
        rig.close();
    }

    static SequenceDraft draft(String text, int steps, ReentryPolicy reentry) {
        List<Step> list = new ArrayList<>();
        for (int i = 1; i <= steps; i++) {
            list.add(new Step("step-" + i, Delay.of(i == 1 ? 0 : 1, DelayUnit.SECONDS), "{\"text\":\"" + text + i + "\"}"));
        }
        return new SequenceDraft("Racing", list,
                new WebhookConfig(URI.create("https://host.example/hook"), Optional.empty()),
                Optional.empty(), Optional.empty(), SequenceRules.NONE.withReentry(reentry));
    }

    private static EnrollmentKey key(String sequence, String subscriber) {
        return new EnrollmentKey(ACCOUNT, sequence, subscriber);
    }

    @Test
    void leaving_while_the_first_step_is_due_sends_at_most_that_step_and_nothing_after() {
        rig.catalog.define(ACCOUNT, "leave", draft("hello", 3, ReentryPolicy.NEVER));
        int sentBeforeLeave = 0;
        for (int round = 0; round < ROUNDS; round++) {
            EnrollmentKey key = key("leave", "sub-" + round);
            rig.enrollments.enroll(key);
            Tick due = lastScheduledFor(key);
            Runnable tick = () -> rig.ticks.handle(due);
            Runnable leave = () -> retried(() -> rig.enrollments.leave(key));
            // Rounds 0 and 1 force each order; the others race.
            switch (round) {
                case 0 -> inOrder(tick, leave);
                case 1 -> inOrder(leave, tick);
                default -> race(tick, leave);
            }
        }
        assertThat(rig.drain(DRAIN_LIMIT).empty()).isTrue();
        Map<String, Map<String, Set<String>>> ids = rig.idsByStep(ACCOUNT, "leave");
        for (int round = 0; round < ROUNDS; round++) {
            EnrollmentKey key = key("leave", "sub-" + round);
            Map<String, Set<String>> steps = ids.getOrDefault(key.subscriberId(), Map.of());
            assertThat(steps.keySet()).as(key + ": nothing after leaving").isSubsetOf("step-1");
            assertThat(steps.values()).as(key + ": one delivery id per step").allSatisfy(s -> assertThat(s).hasSize(1));
            Enrollment end = rig.enrollment(key);
            assertThat(end.status()).isEqualTo(EnrollmentStatus.LEFT);
            assertThat(end.leaveReason()).contains(LeaveReason.UNSUBSCRIBED);
            assertThat(AzureEngineRig.recordedIds(end)).as(key + ": what was sent is recorded, whoever won")
                    .isEqualTo(rig.sentIds(key));
            sentBeforeLeave += steps.isEmpty() ? 0 : 1;
        }
        assertThat(ids.get("sub-0")).as("the tick before the leave: its step went").containsOnlyKeys("step-1");
        assertThat(ids.get("sub-1")).as("the leave before the tick: nothing went").isNull();
        long counted = rig.enrollmentStore.tally(ACCOUNT, "leave").values().stream()
                .mapToLong(t -> t.get(Tally.step("step-1", Tally.SENT))).sum();
        assertThat(counted).as("the report counts every step that was sent").isEqualTo(sentBeforeLeave);
        assertThat(rig.scheduled).as("ticks went to both shards").extracting(t -> TimerShard.of(t.key(), 2))
                .contains(0, 1);
        ReliabilityFigures.record("races.leave_vs_due_tick.runs", ROUNDS);
        ReliabilityFigures.record("races.leave_vs_due_tick.step_sent_before_leave_won", sentBeforeLeave);
    }

    @Test
    void re_enrolling_while_stale_ticks_of_the_old_life_run_never_sends_the_old_life() {
        rig.catalog.define(ACCOUNT, "again", draft("again", 3, ReentryPolicy.AFTER_COMPLETION));
        for (int round = 0; round < ROUNDS; round++) {
            EnrollmentKey key = key("again", "sub-" + round);
            rig.enrollments.enroll(key);
            Tick old = lastScheduledFor(key);
            rig.enrollments.leave(key);
            Runnable stale = () -> rig.ticks.handle(old);
            Runnable enroll = () -> rig.enrollments.enroll(key);
            switch (round) {
                case 0 -> inOrder(stale, enroll, stale);
                case 1 -> inOrder(enroll, stale, stale);
                default -> race(stale, stale, enroll);
            }
        }
        assertThat(rig.drain(DRAIN_LIMIT).empty()).isTrue();
        for (int round = 0; round < ROUNDS; round++) {
            EnrollmentKey key = key("again", "sub-" + round);
            Enrollment end = rig.enrollment(key);
            assertThat(end.epoch()).as(key + ": enrolled, left, enrolled again").isEqualTo(3);
            assertThat(rig.sentIds(key)).as(key + ": nothing from the first life")
                    .doesNotContain(DeliveryId.of(key, 1, 0, "step-1").value());
            assertCompletedOnceEach(key, THREE_STEPS);
        }
        ReliabilityFigures.record("races.reenroll_vs_stale_tick.runs", ROUNDS);
    }

    @Test
    void editing_the_sequence_while_ticks_run_loses_and_doubles_nothing() throws Exception {
        rig.catalog.define(ACCOUNT, "edited", draft("v", 3, ReentryPolicy.NEVER));
        int subscribers = 20;
        for (int i = 0; i < subscribers; i++) {
            rig.enrollments.enroll(key("edited", "sub-" + i));
        }
        AtomicReference<AzureEngineRig.Drained> drained = new AtomicReference<>();
        Thread worker = new Thread(() -> drained.set(rig.drain(DRAIN_LIMIT)), "edits-worker");
        worker.start();
        int edits = 10;
        for (int edit = 0; edit < edits; edit++) {
            // Alternate between three steps and four (a step added at the end), with new texts each time.
            rig.catalog.define(ACCOUNT, "edited", draft("v" + edit + "-", edit % 2 == 1 ? 4 : 3, ReentryPolicy.NEVER));
            Thread.sleep(250);
        }
        worker.join();
        EnrollmentKey late = key("edited", "late");
        rig.enrollments.enroll(late); // runs wholly under the last, four-step version
        assertThat(rig.drain(DRAIN_LIMIT).empty()).isTrue();
        assertCompletedOnceEach(late, List.of("step-1", "step-2", "step-3", "step-4"));
        int gotFourth = 0;
        String lastVersion = "v" + (edits - 1) + "-";
        for (int i = 0; i < subscribers; i++) {
            EnrollmentKey key = key("edited", "sub-" + i);
            Map<String, Set<String>> steps = rig.idsByStep(ACCOUNT, "edited").get(key.subscriberId());
            assertThat(steps.keySet()).as(key.toString()).containsAll(THREE_STEPS);
            gotFourth += steps.containsKey("step-4") ? 1 : 0;
            // The last version has four steps and no edit came after it: whoever got its step 3 must get step 4.
            boolean thirdFromLastVersion = rig.channel.deliveries().stream().anyMatch(d -> d.key().equals(key)
                    && d.stepId().equals("step-3") && d.message().contains(lastVersion + "3"));
            if (thirdFromLastVersion) {
                assertThat(steps).as(key + ": step 3 of the four-step version went, so step 4 follows")
                        .containsKey("step-4");
            }
            assertCompletedOnceEach(key, List.copyOf(steps.keySet()));
        }
        ReliabilityFigures.record("races.edit_vs_ticks.runs", (long) subscribers * edits);
        ReliabilityFigures.record("races.edit_vs_ticks.subscribers_given_the_added_step", gotFourth);
    }

    @Test
    void two_instances_handling_the_same_tick_at_once_send_each_step_under_one_id_and_leave_no_strays() {
        rig.catalog.define(ACCOUNT, "dup", draft("dup", 3, ReentryPolicy.NEVER));
        int subscribers = ROUNDS;
        for (int i = 0; i < subscribers; i++) {
            rig.enrollments.enroll(key("dup", "sub-" + i));
        }
        AzureEngineRig.Drained drained = rig.drain(DRAIN_LIMIT, 2);
        assertThat(drained.empty()).as("duplicates do not multiply: the queue empties").isTrue();
        for (int i = 0; i < subscribers; i++) {
            assertCompletedOnceEach(key("dup", "sub-" + i), THREE_STEPS);
        }
        ReliabilityFigures.record("races.duplicate_ticks_at_once.runs", (long) subscribers * THREE_STEPS.size());
    }

    @Test
    void concurrent_enrolls_of_one_subscriber_start_one_enrollment() {
        rig.catalog.define(ACCOUNT, "enroll", draft("e", 3, ReentryPolicy.NEVER));
        for (int round = 0; round < ROUNDS; round++) {
            EnrollmentKey key = key("enroll", "sub-" + round);
            AtomicInteger created = new AtomicInteger();
            Supplier<Runnable> enroll = () -> () -> {
                EnrollResult result = rig.enrollments.enroll(key);
                if (result.created()) {
                    created.incrementAndGet();
                }
            };
            race(enroll.get(), enroll.get(), enroll.get(), enroll.get());
            assertThat(created.get()).as(key + ": exactly one enroll created it").isEqualTo(1);
        }
        assertThat(rig.drain(DRAIN_LIMIT).empty()).isTrue();
        for (int round = 0; round < ROUNDS; round++) {
            EnrollmentKey key = key("enroll", "sub-" + round);
            assertThat(rig.enrollment(key).epoch()).isEqualTo(1);
            assertCompletedOnceEach(key, THREE_STEPS);
        }
        ReliabilityFigures.record("races.concurrent_enrolls.runs", ROUNDS);
    }

    /** Completed, every step in {@code steps} sent under exactly one id, and the channel saw what was recorded. */
    private void assertCompletedOnceEach(EnrollmentKey key, List<String> steps) {
        Enrollment end = rig.enrollment(key);
        assertThat(end.status()).as(key.toString()).isEqualTo(EnrollmentStatus.COMPLETED);
        Map<String, Set<String>> ids = rig.idsByStep(ACCOUNT, key.sequenceId()).get(key.subscriberId());
        assertThat(ids.keySet()).as(key + ": every step").containsExactlyInAnyOrderElementsOf(steps);
        assertThat(ids.values()).as(key + ": one delivery id per step").allSatisfy(s -> assertThat(s).hasSize(1));
        assertThat(rig.sentIds(key)).as(key + ": the channel saw exactly what the enrollment recorded")
                .isEqualTo(AzureEngineRig.recordedIds(end));
    }

    /** The host server's HTTP client: repeats a request that failed (a lost race answers 409 "try again"). */
    static void retried(Runnable call) {
        for (int attempt = 1; ; attempt++) {
            try {
                call.run();
                return;
            } catch (RuntimeException e) {
                if (attempt == 10) {
                    throw e;
                }
            }
        }
    }

    private Tick lastScheduledFor(EnrollmentKey key) {
        List<Tick> ticks = new ArrayList<>(rig.scheduled);
        Collections.reverse(ticks);
        return ticks.stream().filter(t -> t.key().equals(key)).findFirst().orElseThrow();
    }

    /** Runs {@code parts} one after another; a part that fails is retried later by the queue or the caller. */
    private static void inOrder(Runnable... parts) {
        for (Runnable part : parts) {
            try {
                part.run();
            } catch (RuntimeException failed) {
                // retried by the queue or the caller
            }
        }
    }

    /**
     * Runs {@code parts} on their own threads, released together (each after a random pause of up to 3 ms, so
     * either may win). A part may fail (the queue retries a tick; the host retries a request); a lost race shows
     * in the outcome, not here.
     */
    private void race(Runnable... parts) {
        CyclicBarrier start = new CyclicBarrier(parts.length);
        List<Thread> threads = new ArrayList<>();
        for (Runnable part : parts) {
            int pauseMicros = random.nextInt(3000);
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    Thread.sleep(pauseMicros / 1000, (pauseMicros % 1000) * 1000);
                    part.run();
                } catch (Exception failed) {
                    // retried by the queue or the caller
                }
            }, "race");
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
