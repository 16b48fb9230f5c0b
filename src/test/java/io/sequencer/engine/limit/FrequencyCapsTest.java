package io.sequencer.engine.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.channel.webhook.WebhookConfig;
import io.sequencer.domain.channel.StepMessaging;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.enrollment.StepOutcome;
import io.sequencer.domain.enrollment.StepRecord;
import io.sequencer.domain.limit.FrequencyCap;
import io.sequencer.domain.limit.FrequencyLimits;
import io.sequencer.domain.limit.SendLog;
import io.sequencer.domain.sequence.Delay;
import io.sequencer.domain.sequence.DelayUnit;
import io.sequencer.domain.sequence.SendWindow;
import io.sequencer.domain.sequence.SequenceDraft;
import io.sequencer.domain.sequence.Step;
import io.sequencer.domain.sequence.StepRules;
import io.sequencer.domain.timer.Tick;
import io.sequencer.engine.EngineFixture;
import io.sequencer.engine.Sequencer;
import io.sequencer.engine.Stored;
import io.sequencer.engine.send.Delivery;
import io.sequencer.engine.send.DeliveryTarget;
import io.sequencer.engine.send.SendResult;
import io.sequencer.engine.tick.TickOutcome;
import io.sequencer.testing.InMemoryCapStore;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The account's frequency caps on the tick path: held or skipped over a cap, exempt steps, retries and crashes. */
class FrequencyCapsTest {
    private final EngineFixture f = new EngineFixture();
    private final InMemoryCapStore capStore = new InMemoryCapStore();
    private final Sequencer engine = f.builder().caps(capStore).build();

    private void cap(FrequencyLimits.Over over) {
        engine.caps().define(new FrequencyLimits("acme",
                List.of(new FrequencyCap(2, Duration.ofDays(1), Optional.empty())), over, f.clock.instant()));
    }

    private void sequence(String id, boolean exempt) {
        engine.sequences().define("acme", id, new SequenceDraft("n", List.of(new Step("hello", Delay.of(0, DelayUnit.SECONDS),
                "{\"n\":1}", true, Optional.empty(), StepRules.NONE, new StepMessaging(Optional.empty(), false, false, exempt))),
                new WebhookConfig(URI.create("https://host.example/hook"), Optional.empty())));
    }

    private void enrollInThree(String subscriber) {
        for (String id : List.of("one", "two", "three")) {
            engine.enrollments().enroll(new EnrollmentKey("acme", id, subscriber));
        }
    }

    private void run(Duration limit) {
        Instant end = f.clock.instant().plus(limit);
        Optional<Instant> next;
        while (true) {
            Optional<Tick> tick;
            while ((tick = f.queue.takeNextVisible()).isPresent()) {
                f.outcomes.add(engine.ticks().handle(tick.get()));
            }
            next = f.queue.nextVisibleAt();
            if (next.isEmpty() || next.get().isAfter(end)) {
                return;
            }
            if (next.get().isAfter(f.clock.instant())) {
                f.clock.set(next.get());
            }
        }
    }

    private List<String> sentTo(String subscriber) {
        return f.channel.deliveries().stream().filter(d -> d.target().subscriberId().equals(subscriber))
                .map(d -> ((DeliveryTarget.Step) d.target()).key().sequenceId()).distinct().toList();
    }

    private Optional<StepRecord> record(String sequence, String subscriber) {
        return f.enrollmentStore.find(new EnrollmentKey("acme", sequence, subscriber)).orElseThrow().value()
                .lastRecordOf("hello");
    }

    @Test
    void with_a_cap_of_two_a_day_three_sequences_starting_at_once_send_two_and_hold_the_third_a_day() {
        for (String id : List.of("one", "two", "three")) {
            sequence(id, false);
        }
        cap(FrequencyLimits.Over.HOLD);
        Instant start = f.clock.instant();
        enrollInThree("ann");
        enrollInThree("bob");

        run(Duration.ofHours(23));
        assertThat(sentTo("ann")).hasSize(2);
        assertThat(sentTo("bob")).hasSize(2);
        assertThat(f.outcomes).filteredOn(o -> o instanceof TickOutcome.Wait w && w.reason().contains("frequency cap"))
                .hasSize(2);

        run(Duration.ofDays(2));
        assertThat(sentTo("ann")).hasSize(3);
        assertThat(sentTo("bob")).hasSize(3);
        Instant third = f.channel.deliveries().get(f.channel.deliveries().size() - 1).dueAt();
        assertThat(third).isEqualTo(start.plus(Duration.ofDays(1)));
    }

    @Test
    void with_skip_the_third_is_recorded_as_skipped_for_the_frequency_cap() {
        for (String id : List.of("one", "two", "three")) {
            sequence(id, false);
        }
        cap(FrequencyLimits.Over.SKIP);
        enrollInThree("ann");

        run(Duration.ofDays(2));
        assertThat(sentTo("ann")).hasSize(2);
        assertThat(List.of("one", "two", "three")).map(id -> record(id, "ann").orElseThrow().outcome())
                .containsExactlyInAnyOrder(StepOutcome.SENT, StepOutcome.SENT, StepOutcome.SKIPPED);
        StepRecord skipped = List.of("one", "two", "three").stream().map(id -> record(id, "ann").orElseThrow())
                .filter(r -> r.outcome() == StepOutcome.SKIPPED).findFirst().orElseThrow();
        assertThat(skipped.skipReason()).isEqualTo("frequency_cap");
    }

    @Test
    void an_exempt_step_goes_out_over_the_cap_and_takes_no_place_under_it() {
        sequence("one", false);
        sequence("two", false);
        sequence("receipt", true);
        sequence("three", false);
        cap(FrequencyLimits.Over.SKIP);
        engine.enrollments().enroll(new EnrollmentKey("acme", "receipt", "ann"));
        run(Duration.ofMinutes(1));
        enrollInThree("ann");
        engine.enrollments().enroll(new EnrollmentKey("acme", "receipt", "bob"));
        run(Duration.ofMinutes(1));

        assertThat(record("receipt", "ann").orElseThrow().outcome()).isEqualTo(StepOutcome.SENT);
        assertThat(sentTo("ann")).hasSize(3).anyMatch(id -> id.contains("receipt"));
        assertThat(capStore.log("acme", "ann").orElseThrow().value().entries()).hasSize(2);
    }

    @Test
    void a_send_retried_after_a_transient_failure_is_counted_once() {
        for (String id : List.of("one", "two", "three")) {
            sequence(id, false);
        }
        cap(FrequencyLimits.Over.SKIP);
        f.channel.thenAnswer(new SendResult.TransientFailure("503", Duration.ZERO),
                new SendResult.TransientFailure("503", Duration.ZERO));
        engine.enrollments().enroll(new EnrollmentKey("acme", "one", "ann"));
        run(Duration.ofHours(1));
        engine.enrollments().enroll(new EnrollmentKey("acme", "two", "ann"));
        engine.enrollments().enroll(new EnrollmentKey("acme", "three", "ann"));
        run(Duration.ofHours(1));

        assertThat(f.channel.deliveries()).hasSize(4);
        assertThat(record("one", "ann").orElseThrow().outcome()).isEqualTo(StepOutcome.SENT);
        assertThat(capStore.log("acme", "ann").orElseThrow().value().entries()).hasSize(2);
        assertThat(Set.of(record("two", "ann").orElseThrow().outcome(), record("three", "ann").orElseThrow().outcome()))
                .containsExactlyInAnyOrder(StepOutcome.SENT, StepOutcome.SKIPPED);
    }

    @Test
    void a_crash_between_the_send_and_its_record_sends_again_under_the_same_id_without_counting_again() {
        for (String id : List.of("one", "two", "three")) {
            sequence(id, false);
        }
        cap(FrequencyLimits.Over.SKIP);
        f.channel.atDelivery(1, () -> {
            throw new IllegalStateException("the worker stopped");
        });
        engine.enrollments().enroll(new EnrollmentKey("acme", "one", "ann"));
        Tick tick = f.queue.takeNextVisible().orElseThrow();
        assertThatThrownBy(() -> engine.ticks().handle(tick)).isInstanceOf(IllegalStateException.class);
        // The queue delivers the message again.
        assertThat(engine.ticks().handle(tick)).isInstanceOf(TickOutcome.Done.class);
        engine.enrollments().enroll(new EnrollmentKey("acme", "two", "ann"));
        engine.enrollments().enroll(new EnrollmentKey("acme", "three", "ann"));
        run(Duration.ofHours(1));

        List<Delivery> sends = f.channel.deliveries();
        assertThat(sends.get(0).deliveryId()).isEqualTo(sends.get(1).deliveryId());
        assertThat(sentTo("ann")).hasSize(2);
        assertThat(capStore.log("acme", "ann").orElseThrow().value().entries()).hasSize(2);
    }

    @Test
    void a_step_its_receiver_refused_for_good_gives_its_place_back() {
        for (String id : List.of("one", "two")) {
            sequence(id, false);
        }
        engine.caps().define(new FrequencyLimits("acme", List.of(new FrequencyCap(1, Duration.ofDays(1),
                Optional.empty())), FrequencyLimits.Over.SKIP, f.clock.instant()));
        f.channel.thenAnswer(new SendResult.PermanentFailure("HTTP 400"));
        engine.enrollments().enroll(new EnrollmentKey("acme", "one", "ann"));
        run(Duration.ofMinutes(1));
        engine.enrollments().enroll(new EnrollmentKey("acme", "two", "ann"));
        run(Duration.ofMinutes(1));

        assertThat(record("one", "ann").orElseThrow().outcome()).isEqualTo(StepOutcome.FAILED);
        assertThat(record("two", "ann").orElseThrow().outcome()).isEqualTo(StepOutcome.SENT);
    }

    @Test
    void a_hold_past_the_step_s_send_window_waits_for_its_next_opening() {
        engine.sequences().define("acme", "one", EngineFixture.draft(0));
        SendWindow morning = new SendWindow(LocalTime.of(9, 0), LocalTime.of(10, 0), SendWindow.EVERY_DAY);
        engine.sequences().define("acme", "two", new SequenceDraft("n", List.of(new Step("hello",
                Delay.of(0, DelayUnit.SECONDS), "{}", true, Optional.of(morning))),
                new WebhookConfig(URI.create("https://host.example/hook"), Optional.empty())));
        engine.caps().define(new FrequencyLimits("acme", List.of(new FrequencyCap(1, Duration.ofHours(2),
                Optional.empty())), FrequencyLimits.Over.HOLD, f.clock.instant()));
        engine.enrollments().enroll(new EnrollmentKey("acme", "one", "ann"));
        run(Duration.ofMinutes(1));
        engine.enrollments().enroll(new EnrollmentKey("acme", "two", "ann"));
        run(Duration.ofDays(2));

        assertThat(f.channel.deliveries()).hasSize(2);
        // Allowed again at 11:00, after the window closed: sent when it opens the next day.
        assertThat(f.channel.deliveries().get(1).dueAt()).isEqualTo(Instant.parse("2026-03-02T09:00:00Z"));
    }

    @Test
    void a_failure_at_any_call_to_the_caps_store_neither_loses_the_step_nor_counts_it_twice() {
        // Calls of the first send: the caps' read, the log's read, the log's write.
        for (int failAt = 1; failAt <= 3; failAt++) {
            EngineFixture g = new EngineFixture();
            InMemoryCapStore real = new InMemoryCapStore();
            FailingCapStore failing = new FailingCapStore(real, failAt);
            Sequencer capped = g.builder().caps(failing).build();
            for (String id : List.of("one", "two")) {
                capped.sequences().define("acme", id, EngineFixture.draft(0));
            }
            capped.caps().define(new FrequencyLimits("acme", List.of(new FrequencyCap(1, Duration.ofDays(1),
                    Optional.empty())), FrequencyLimits.Over.SKIP, g.clock.instant()));
            capped.enrollments().enroll(new EnrollmentKey("acme", "one", "ann"));
            Tick tick = g.queue.takeNextVisible().orElseThrow();
            TickOutcome outcome;
            try {
                outcome = capped.ticks().handle(tick);
            } catch (IllegalStateException storageDown) {
                // The queue delivers the tick again.
                outcome = capped.ticks().handle(tick);
            }
            assertThat(outcome).as("fail at call " + failAt).isInstanceOf(TickOutcome.Done.class);
            assertThat(g.channel.deliveries()).as("fail at call " + failAt).isNotEmpty()
                    .extracting(d -> d.deliveryId()).containsOnly(g.channel.deliveries().get(0).deliveryId());
            assertThat(real.log("acme", "ann").orElseThrow().value().entries()).as("fail at call " + failAt).hasSize(1);
            capped.enrollments().enroll(new EnrollmentKey("acme", "two", "ann"));
            Tick second = g.queue.takeNextVisible().orElseThrow();
            assertThat(capped.ticks().handle(second)).isInstanceOf(TickOutcome.Done.class);
            assertThat(g.enrollmentStore.find(new EnrollmentKey("acme", "two", "ann")).orElseThrow().value()
                    .lastRecordOf("step-1").orElseThrow().outcome()).as("fail at call " + failAt)
                    .isEqualTo(StepOutcome.SKIPPED);
        }
    }

    /**
     * Fails the {@code failAt}th call made to it, then passes every call on: a read fails before it is made, a write
     * after it was made (its answer lost), the harder case for counting.
     */
    private static final class FailingCapStore implements CapStore {
        private final CapStore store;
        private final int failAt;
        private int calls;

        FailingCapStore(CapStore store, int failAt) {
            this.store = store;
            this.failAt = failAt;
        }

        private void call() {
            if (++calls == failAt) {
                throw new IllegalStateException("storage unavailable at call " + calls);
            }
        }

        @Override
        public Optional<FrequencyLimits> limits(String account) {
            call();
            return store.limits(account);
        }

        @Override
        public void putLimits(FrequencyLimits limits) {
            store.putLimits(limits);
        }

        @Override
        public void deleteLimits(String account) {
            store.deleteLimits(account);
        }

        @Override
        public Optional<Stored<SendLog>> log(String account, String subscriberId) {
            call();
            return store.log(account, subscriberId);
        }

        @Override
        public void createLog(String account, String subscriberId, SendLog log) {
            store.createLog(account, subscriberId, log);
            call();
        }

        @Override
        public void replaceLog(String account, String subscriberId, SendLog log, String etag) {
            store.replaceLog(account, subscriberId, log, etag);
            call();
        }

        @Override
        public void deleteLog(String account, String subscriberId) {
            store.deleteLog(account, subscriberId);
        }
    }
}
