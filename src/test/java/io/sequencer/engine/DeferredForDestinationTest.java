package io.sequencer.engine;

import static io.sequencer.engine.EngineFixture.ACCOUNT;
import static io.sequencer.engine.EngineFixture.SEQUENCE;
import static io.sequencer.engine.EngineFixture.draft;
import static io.sequencer.engine.EngineFixture.subscriber;
import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.channel.ChannelTypes;
import io.sequencer.channel.webhook.WebhookConfig;
import io.sequencer.domain.enrollment.DeferredStep;
import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentStatus;
import io.sequencer.domain.enrollment.StepOutcome;
import io.sequencer.domain.subscriber.TimelineEntry;
import io.sequencer.domain.timer.RetryBackoff;
import io.sequencer.domain.timer.Tick;
import io.sequencer.engine.send.Channel;
import io.sequencer.engine.send.Delivery;
import io.sequencer.engine.send.DestinationGuard;
import io.sequencer.engine.send.SendGate;
import io.sequencer.engine.send.SendResult;
import io.sequencer.engine.subscriber.Timeline;
import io.sequencer.engine.tick.TickHandler;
import io.sequencer.engine.tick.TickOutcome;
import io.sequencer.testing.Budgets;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Ticks for a destination whose circuit is open wait for it (never dropped, never failed) and go once it heals. */
class DeferredForDestinationTest {
    private static final Duration OPEN_FOR = Duration.ofSeconds(30);
    private static final Duration OUTAGE = Duration.ofSeconds(100);
    private static final int SUBSCRIBERS = 8;

    private final EngineFixture engine = new EngineFixture();
    private final Instant start = engine.clock.instant();
    /** What reached the destination: the delivery and whether it failed. */
    private final List<Delivery> failedSends = new ArrayList<>();
    private final List<Delivery> sent = new ArrayList<>();
    private final Channel outage = (config, delivery) -> {
        if (engine.clock.instant().isBefore(start.plus(OUTAGE))) {
            failedSends.add(delivery);
            return new SendResult.TransientFailure("webhook unreachable: timeout", null);
        }
        sent.add(delivery);
        return new SendResult.Sent("HTTP 200");
    };
    private final DestinationGuard guard = new DestinationGuard(4, OPEN_FOR, engine.clock);
    /** Four attempts, ten seconds apart at first: without the circuit the outage outlasts every step's retries. */
    private final TickHandler ticks = engine.builder().channel(outage)
            .notices(null, null).gate(gate(guard))
            .build().ticks();
    private final List<TickOutcome> outcomes = new ArrayList<>();
    private final Timeline timeline = engine.builder()
            .gate(gate(guard)).build().timeline();

    /** Messenger's limits as deployed, with {@code guard}'s bulkhead and circuits. */
    private SendGate gate(DestinationGuard guard) {
        return new SendGate(Duration.ofMinutes(30), Budgets.of(300, 100, 1, engine.clock), guard, ChannelTypes.ALL.rules());
    }

    @Test
    void steps_for_a_failing_destination_wait_while_its_circuit_is_open_and_are_all_sent_once_it_heals() {
        engine.catalog.define(ACCOUNT, SEQUENCE, draft(0, 60));
        IntStream.rangeClosed(1, SUBSCRIBERS).forEach(i -> engine.enrollments.enroll(subscriber("s" + i)));

        runUntil(start.plusSeconds(50));
        // Five timeouts opened the circuit; the probe after 30 s failed too. Nothing else reached the destination.
        assertThat(failedSends).hasSize(6);
        assertThat(guard.openCircuits()).singleElement().satisfies(view -> {
            assertThat(view.destination().key()).isEqualTo("https://host.example:443");
            assertThat(view.state()).isEqualTo("open");
        });
        // One that never reached the destination: put off since the circuit opened, at the start.
        String untried = IntStream.rangeClosed(1, SUBSCRIBERS).mapToObj(i -> "s" + i)
                .filter(id -> failedSends.stream().noneMatch(f -> f.subscriberId().equals(id))).findFirst().orElseThrow();
        assertThat(outcomes).filteredOn(o -> o instanceof TickOutcome.Wait).isNotEmpty();
        Enrollment waiting = engine.enrollments.get(subscriber(untried));
        assertThat(waiting.history()).as("a deferral is not recorded as an attempt or a failure").isEmpty();
        Optional<DeferredStep> shown = guard.deferredSteps().of(waiting);
        assertThat(shown).hasValueSatisfying(step -> {
            assertThat(step.stepId()).isEqualTo("step-1");
            assertThat(step.destination()).isEqualTo("https://host.example:443");
            assertThat(step.since()).isEqualTo(start);
            assertThat(step.until()).isAfter(engine.clock.instant());
        });
        assertThat(timeline.page(ACCOUNT, untried, 50, Optional.empty()).entries())
                .filteredOn(e -> e instanceof TimelineEntry.Deferred)
                .singleElement().satisfies(e -> assertThat(((TimelineEntry.Deferred) e).step()).isEqualTo(shown.get()));

        runUntil(start.plus(Duration.ofMinutes(10)));
        assertThat(failedSends).as("the five that opened it and one probe per open period (30 s, then 60 s)").hasSize(7);
        assertThat(guard.openCircuits()).isEmpty();
        for (int i = 1; i <= SUBSCRIBERS; i++) {
            Enrollment done = engine.enrollments.get(subscriber("s" + i));
            assertThat(done.status()).isEqualTo(EnrollmentStatus.COMPLETED);
            assertThat(done.history()).extracting(r -> r.outcome()).containsExactly(StepOutcome.SENT, StepOutcome.SENT);
            assertThat(guard.deferredSteps().of(done)).isEmpty();
        }
        assertThat(timeline.page(ACCOUNT, untried, 50, Optional.empty()).entries())
                .noneMatch(e -> e instanceof TimelineEntry.Deferred);
        // Each step went once; an attempt is only a send that reached the destination.
        assertThat(sent).hasSize(2 * SUBSCRIBERS);
        for (Delivery delivery : sent.stream().filter(d -> d.stepId().equals("step-1")).toList()) {
            long failedBefore = failedSends.stream().filter(f -> f.deliveryId().equals(delivery.deliveryId())).count();
            assertThat(delivery.attempt()).isEqualTo(failedBefore + 1);
        }
    }

    @Test
    void a_permanent_refusal_is_an_answer_and_does_not_open_the_circuit() {
        Channel refusing = (config, delivery) -> new SendResult.PermanentFailure("webhook answered HTTP 410");
        TickHandler handler = engine.builder().channel(refusing).backoff(RetryBackoff.DEFAULT)
                .notices(null, null).gate(gate(guard))
                .build().ticks();
        engine.catalog.define(ACCOUNT, SEQUENCE, draft(0));
        IntStream.rangeClosed(1, SUBSCRIBERS).forEach(i -> engine.enrollments.enroll(subscriber("s" + i)));
        Optional<Tick> next;
        while ((next = engine.queue.takeNextVisible()).isPresent()) {
            assertThat(handler.handle(next.get())).isInstanceOf(TickOutcome.Done.class);
        }
        assertThat(guard.openCircuits()).isEmpty();
    }

    @Test
    void a_destination_with_an_open_circuit_does_not_hold_up_another_destinations_steps() {
        engine.catalog.define(ACCOUNT, SEQUENCE, draft(0));
        engine.catalog.define(ACCOUNT, "other", new io.sequencer.domain.sequence.SequenceDraft("Other", draft(0).steps(),
                new WebhookConfig(URI.create("https://healthy.example/hook"), Optional.empty())));
        Channel oneDown = (config, delivery) -> ((WebhookConfig) config).url().getHost().equals("host.example")
                ? new SendResult.TransientFailure("webhook answered HTTP 503", null) : new SendResult.Sent("HTTP 200");
        TickHandler handler = engine.builder().channel(oneDown).backoff(RetryBackoff.DEFAULT)
                .notices(null, null).gate(gate(guard))
                .build().ticks();
        IntStream.rangeClosed(1, SUBSCRIBERS).forEach(i -> engine.enrollments.enroll(subscriber("s" + i)));
        IntStream.rangeClosed(1, SUBSCRIBERS).forEach(i ->
                engine.enrollments.enroll(new io.sequencer.domain.enrollment.EnrollmentKey(ACCOUNT, "other", "s" + i)));
        Optional<Tick> next;
        while ((next = engine.queue.takeNextVisible()).isPresent()) {
            handler.handle(next.get());
        }
        for (int i = 1; i <= SUBSCRIBERS; i++) {
            assertThat(engine.enrollments.get(new io.sequencer.domain.enrollment.EnrollmentKey(ACCOUNT, "other", "s" + i)).status())
                    .isEqualTo(EnrollmentStatus.COMPLETED);
            assertThat(engine.enrollments.get(subscriber("s" + i)).status()).isEqualTo(EnrollmentStatus.ACTIVE);
        }
        assertThat(guard.openCircuits()).extracting(v -> v.destination().key()).containsExactly("https://host.example:443");
    }

    @Test
    void a_deferred_step_that_goes_ahead_and_is_to_be_retried_is_no_longer_listed_as_deferred() {
        engine.catalog.define(ACCOUNT, SEQUENCE, draft(0, 60));
        IntStream.rangeClosed(1, 5).forEach(i -> engine.enrollments.enroll(subscriber("s" + i)));
        IntStream.rangeClosed(1, 5).forEach(i -> ticks.handle(engine.queue.takeNextVisible().orElseThrow()));
        assertThat(guard.openCircuits()).as("five timeouts opened the circuit").hasSize(1);
        engine.enrollments.enroll(subscriber("ann"));
        Tick annsStep = engine.queue.takeNextVisible().orElseThrow();
        assertThat(ticks.handle(annsStep)).isInstanceOf(TickOutcome.Wait.class);
        assertThat(guard.deferredSteps().of(engine.enrollments.get(subscriber("ann")))).isPresent();

        engine.clock.advance(OPEN_FOR.plusSeconds(1));
        // The same tick, redelivered when the circuit lets a probe through: it goes, and times out.
        assertThat(ticks.handle(annsStep)).isInstanceOf(TickOutcome.RetryLater.class);

        Enrollment ann = engine.enrollments.get(subscriber("ann"));
        assertThat(ann.nextStepId()).as("still at the step, now an attempt to retry").isEqualTo("step-1");
        assertThat(guard.deferredSteps().of(ann)).as("it went to the destination: no longer put off").isEmpty();
        assertThat(timeline.page(ACCOUNT, "ann", 50, Optional.empty()).entries())
                .noneMatch(e -> e instanceof TimelineEntry.Deferred);
    }

    /** Plays the queue trigger with this test's handler, moving the clock from timer to timer up to {@code end}. */
    private void runUntil(Instant end) {
        while (true) {
            Optional<Tick> visible;
            while ((visible = engine.queue.takeNextVisible()).isPresent()) {
                // As the trigger does: every tick reports what it did, a deferral included (its log line).
                outcomes.add(Objects.requireNonNull(ticks.handle(visible.get()), "the tick's outcome"));
            }
            Optional<Instant> next = engine.queue.nextVisibleAt();
            if (next.isEmpty() || next.get().isAfter(end)) {
                engine.clock.set(end);
                return;
            }
            if (next.get().isAfter(engine.clock.instant())) {
                engine.clock.set(next.get());
            }
        }
    }
}
