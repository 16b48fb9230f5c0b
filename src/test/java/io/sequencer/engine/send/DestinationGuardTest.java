package io.sequencer.engine.send;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.channel.messenger.MessengerConfig;
import io.sequencer.channel.sendgrid.SendGridConfig;
import io.sequencer.channel.webhook.WebhookConfig;
import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.domain.channel.DeliveryDeferral;
import io.sequencer.testing.SteppingClock;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The bulkhead and circuit rules per destination, on a stepping clock. */
class DestinationGuardTest {
    private static final Duration OPEN_FOR = Duration.ofSeconds(30);
    private static final SendResult TIMEOUT = new SendResult.TransientFailure("webhook unreachable: timeout", null);
    private static final SendResult SENT = new SendResult.Sent("HTTP 200");
    private static final SendResult REFUSED_FOR_GOOD = new SendResult.PermanentFailure("webhook answered HTTP 404");

    private final SteppingClock clock = SteppingClock.at("2026-03-01T09:00:00Z");
    private final DestinationGuard guard = new DestinationGuard(2,
            new Circuit.Rules(10, 5, 0.5, OPEN_FOR, Duration.ofSeconds(5)), Duration.ZERO, clock);
    private final ChannelConfig slow = webhook("https://slow.example:8443/hook?token=abc");
    private final ChannelConfig other = webhook("https://other.example/hook");

    private static ChannelConfig webhook(String url) {
        return new WebhookConfig(URI.create(url), Optional.empty());
    }

    /** Admits one send to {@code channel} and records {@code result} for it. */
    private void send(ChannelConfig channel, SendResult result) {
        DestinationGuard.Admission admission = guard.admit(channel);
        assertThat(admission).isInstanceOf(DestinationGuard.Admission.Go.class);
        try (DestinationGuard.Permit permit = ((DestinationGuard.Admission.Go) admission).permit()) {
            permit.record(result);
        }
    }

    private DeliveryDeferral deferral(ChannelConfig channel) {
        DestinationGuard.Admission admission = guard.admit(channel);
        assertThat(admission).isInstanceOf(DestinationGuard.Admission.Defer.class);
        return ((DestinationGuard.Admission.Defer) admission).deferral();
    }

    @Test
    void a_destination_is_scheme_host_and_port_without_path_query_or_user_info() {
        assertThat(slow.destination().key()).isEqualTo("https://slow.example:8443");
        assertThat(webhook("http://User:pw@Hook.Example/a/b?c=d").destination().key()).isEqualTo("http://hook.example:80");
        assertThat(webhook("https://hook.example/x").destination()).isEqualTo(webhook("https://hook.example:443/y").destination());
        assertThat((new MessengerConfig("123", "PAGE_TOKEN", "21.0")).destination().key()).isEqualTo("messenger:123");
        assertThat((new SendGridConfig("KEY", "news@shop.example", Optional.empty())).destination().key())
                .isEqualTo("sendgrid:news@shop.example");
    }

    @Test
    void the_bulkhead_defers_a_send_beyond_the_limit_for_a_moment_and_frees_its_slot_when_a_send_ends() {
        DestinationGuard.Permit first = ((DestinationGuard.Admission.Go) guard.admit(slow)).permit();
        DestinationGuard.Permit second = ((DestinationGuard.Admission.Go) guard.admit(slow)).permit();
        DeliveryDeferral busy = deferral(slow);
        assertThat(busy.cause()).isEqualTo(DeliveryDeferral.Cause.BULKHEAD_FULL);
        assertThat(busy.destination()).isEqualTo("https://slow.example:8443");
        assertThat(busy.until()).as("the sends in flight are young: a burst, soon over")
                .isBetween(clock.instant().plus(DestinationGuard.BUSY_RETRY),
                        clock.instant().plus(DestinationGuard.BUSY_RETRY.multipliedBy(2)));
        clock.advance(DestinationGuard.SLOW_SEND);
        assertThat(deferral(slow).until()).as("the sends in flight are slow: look again in a second or more")
                .isBetween(clock.instant().plus(DestinationGuard.BULKHEAD_RETRY),
                        clock.instant().plus(DestinationGuard.BULKHEAD_RETRY).plus(DestinationGuard.SPREAD));
        assertThat(guard.admit(other)).as("another destination has slots of its own")
                .isInstanceOf(DestinationGuard.Admission.Go.class);
        first.close();
        assertThat(guard.admit(slow)).isInstanceOf(DestinationGuard.Admission.Go.class);
        second.close();
    }

    @Test
    void a_send_finding_slots_held_by_slow_sends_is_put_off_about_as_long_as_they_have_taken_up_to_ten_seconds() {
        DestinationGuard.Permit first = ((DestinationGuard.Admission.Go) guard.admit(slow)).permit();
        clock.advance(Duration.ofSeconds(3));
        DestinationGuard.Permit second = ((DestinationGuard.Admission.Go) guard.admit(slow)).permit();
        clock.advance(Duration.ofSeconds(3));
        assertThat(deferral(slow).until()).as("the oldest send in flight has taken 6 s")
                .isBetween(clock.instant().plusSeconds(6), clock.instant().plusSeconds(6).plus(DestinationGuard.SPREAD));
        clock.advance(Duration.ofMinutes(1));
        assertThat(deferral(slow).until()).isBetween(clock.instant().plus(DestinationGuard.BULKHEAD_MAX_WAIT),
                clock.instant().plus(DestinationGuard.BULKHEAD_MAX_WAIT).plus(DestinationGuard.SPREAD));
        first.close();
        second.close();
    }

    @Test
    void a_send_waits_for_a_slot_while_the_sends_in_flight_are_young_but_not_once_one_is_slow() throws Exception {
        DestinationGuard waiting = new DestinationGuard(1, Circuit.Rules.DEFAULT, Duration.ofSeconds(30), clock);
        DestinationGuard.Permit young = ((DestinationGuard.Admission.Go) waiting.admit(slow)).permit();
        closeSoon(young);
        assertThat(waiting.admit(slow)).as("a healthy destination frees a slot soon: wait for it")
                .isInstanceOf(DestinationGuard.Admission.Go.class);

        DestinationGuard.Permit current = ((DestinationGuard.Admission.Go) waiting.admit(other)).permit();
        clock.advance(DestinationGuard.SLOW_SEND);
        closeSoon(current);
        assertThat(waiting.admit(other)).as("a send in flight for half a second marks the destination slow: no waiting")
                .isInstanceOf(DestinationGuard.Admission.Defer.class);
    }

    @Test
    void sends_to_a_healthy_destination_wait_their_turn_for_a_slot_rather_than_being_put_off() throws Exception {
        DestinationGuard real = new DestinationGuard(2, Duration.ofSeconds(30), Clock.systemUTC());
        try (DestinationGuard.Permit first = ((DestinationGuard.Admission.Go) real.admit(slow)).permit()) {
            Thread.sleep(120); // the destination's first answer: it answers in about 120 ms
            first.record(SENT);
        }
        int sends = 6;
        ExecutorService pool = Executors.newFixedThreadPool(sends);
        try {
            List<Future<DestinationGuard.Admission>> admissions = new ArrayList<>();
            for (int i = 0; i < sends; i++) {
                admissions.add(pool.submit(() -> {
                    DestinationGuard.Admission admission = real.admit(slow);
                    if (admission instanceof DestinationGuard.Admission.Go go) {
                        Thread.sleep(120); // two go, four wait their turn: the last about 240 ms
                        go.permit().record(SENT);
                        go.permit().close();
                    }
                    return admission;
                }));
            }
            for (var admission : admissions) {
                assertThat(admission.get()).as("every send of the burst went, none was put off for seconds")
                        .isInstanceOf(DestinationGuard.Admission.Go.class);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void a_destination_whose_sends_take_a_while_lets_no_more_sends_wait_than_it_has_slots() throws Exception {
        DestinationGuard waiting = new DestinationGuard(1, Circuit.Rules.DEFAULT, Duration.ofSeconds(30), clock);
        try (DestinationGuard.Permit permit = ((DestinationGuard.Admission.Go) waiting.admit(slow)).permit()) {
            clock.advance(Duration.ofMillis(400)); // healthy, but a line of two would take 800 ms to clear
            permit.record(SENT);
        }
        DestinationGuard.Permit held = ((DestinationGuard.Admission.Go) waiting.admit(slow)).permit();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            var first = pool.submit(() -> waiting.admit(slow));
            Thread.sleep(300); // the first waits for the held slot
            var second = pool.submit(() -> waiting.admit(slow));
            assertThat(second.get(10, TimeUnit.SECONDS))
                    .as("the line of waiting sends is full: put off at once rather than holding another worker")
                    .isInstanceOf(DestinationGuard.Admission.Defer.class);
            held.close();
            assertThat(first.get(10, TimeUnit.SECONDS)).isInstanceOf(DestinationGuard.Admission.Go.class);
            ((DestinationGuard.Admission.Go) first.get()).permit().close();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void a_destination_whose_sends_end_at_once_lets_a_longer_line_wait_but_never_more_than_three_times_its_slots()
            throws Exception {
        DestinationGuard waiting = new DestinationGuard(1, Circuit.Rules.DEFAULT, Duration.ofSeconds(30), clock);
        send(waiting, slow); // took no time on the stepping clock: the line clears at once
        DestinationGuard.Permit held = ((DestinationGuard.Admission.Go) waiting.admit(slow)).permit();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<DestinationGuard.Admission>> line = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                line.add(pool.submit(() -> {
                    DestinationGuard.Admission admission = waiting.admit(slow);
                    if (admission instanceof DestinationGuard.Admission.Go go) {
                        go.permit().close();
                    }
                    return admission;
                }));
                Thread.sleep(100);
            }
            assertThat(pool.submit(() -> waiting.admit(slow)).get(10, TimeUnit.SECONDS))
                    .as("three wait already: the fourth is put off").isInstanceOf(DestinationGuard.Admission.Defer.class);
            held.close();
            for (var admission : line) {
                assertThat(admission.get(10, TimeUnit.SECONDS)).isInstanceOf(DestinationGuard.Admission.Go.class);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void send(DestinationGuard guard, ChannelConfig channel) {
        try (DestinationGuard.Permit permit = ((DestinationGuard.Admission.Go) guard.admit(channel)).permit()) {
            permit.record(SENT);
        }
    }

    /** Closes {@code permit} on another thread a moment from now. */
    private static void closeSoon(DestinationGuard.Permit permit) {
        Thread closer = new Thread(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            permit.close();
        });
        closer.setDaemon(true);
        closer.start();
    }

    @Test
    void the_circuit_opens_once_half_of_at_least_five_sends_failed_transiently_and_defers_until_it_may_probe() {
        send(slow, SENT);
        send(slow, TIMEOUT);
        send(slow, TIMEOUT);
        send(slow, SENT);
        assertThat(guard.openCircuits()).isEmpty();
        Instant openedAt = clock.instant();
        send(slow, TIMEOUT); // 3 of 5 failed
        DeliveryDeferral open = deferral(slow);
        assertThat(open.cause()).isEqualTo(DeliveryDeferral.Cause.CIRCUIT_OPEN);
        assertThat(open.until()).isBetween(openedAt.plus(OPEN_FOR), openedAt.plus(OPEN_FOR).plus(DestinationGuard.SPREAD));
        assertThat(guard.openCircuits()).singleElement().satisfies(view -> {
            assertThat(view.destination().key()).isEqualTo("https://slow.example:8443");
            assertThat(view.state()).isEqualTo("open");
            assertThat(view.since()).isEqualTo(openedAt);
            assertThat(view.until()).isEqualTo(openedAt.plus(OPEN_FOR));
            assertThat(view.failureRate()).isEqualTo(0.6);
        });
        assertThat(guard.admit(other)).as("the other destination's circuit is its own")
                .isInstanceOf(DestinationGuard.Admission.Go.class);
    }

    @Test
    void permanent_answers_keep_the_circuit_closed() {
        for (int i = 0; i < 20; i++) {
            send(slow, REFUSED_FOR_GOOD);
        }
        send(slow, new SendResult.RecipientGone("user blocked the page"));
        assertThat(guard.openCircuits()).isEmpty();
        assertThat(guard.admit(slow)).isInstanceOf(DestinationGuard.Admission.Go.class);
    }

    @Test
    void failures_spread_among_enough_successes_keep_the_circuit_closed() {
        for (int i = 0; i < 30; i++) {
            send(slow, i % 3 == 0 ? TIMEOUT : SENT);
        }
        assertThat(guard.openCircuits()).isEmpty();
    }

    @Test
    void after_the_open_time_one_probe_goes_and_its_success_closes_the_circuit() {
        openCircuit();
        clock.advance(OPEN_FOR);
        DestinationGuard.Permit probe = ((DestinationGuard.Admission.Go) guard.admit(slow)).permit();
        assertThat(guard.openCircuits()).singleElement().extracting(DestinationGuard.CircuitView::state).isEqualTo("half-open");
        DeliveryDeferral whileProbing = deferral(slow);
        assertThat(whileProbing.cause()).isEqualTo(DeliveryDeferral.Cause.CIRCUIT_OPEN);
        assertThat(whileProbing.until()).isAfterOrEqualTo(clock.instant().plusSeconds(5));
        probe.record(SENT);
        probe.close();
        assertThat(guard.openCircuits()).isEmpty();
        send(slow, SENT);
        send(slow, TIMEOUT);
        assertThat(guard.openCircuits()).as("a closed circuit starts counting afresh").isEmpty();
    }

    @Test
    void a_failed_probe_opens_the_circuit_again_for_twice_as_long_keeping_when_it_first_opened() {
        Instant firstOpened = clock.instant();
        openCircuit();
        clock.advance(OPEN_FOR);
        send(slow, TIMEOUT);
        assertThat(guard.openCircuits()).singleElement().satisfies(view -> {
            assertThat(view.state()).isEqualTo("open");
            assertThat(view.since()).isEqualTo(firstOpened);
            assertThat(view.until()).isEqualTo(clock.instant().plus(OPEN_FOR.multipliedBy(2)));
        });
        assertThat(deferral(slow).until()).isAfterOrEqualTo(clock.instant().plus(OPEN_FOR.multipliedBy(2)));
        for (int probe = 0; probe < 10; probe++) {
            clock.set(guard.openCircuits().get(0).until());
            send(slow, TIMEOUT);
        }
        assertThat(guard.openCircuits().get(0).until()).as("at most 16 times the open time")
                .isEqualTo(clock.instant().plus(OPEN_FOR.multipliedBy(Circuit.Rules.MAX_OPEN_FACTOR)));
    }

    @Test
    void a_probe_that_was_never_sent_lets_the_next_send_probe() {
        openCircuit();
        clock.advance(OPEN_FOR);
        DestinationGuard.Permit unused = ((DestinationGuard.Admission.Go) guard.admit(slow)).permit();
        unused.close(); // e.g. over the send budget: nothing reached the destination
        send(slow, SENT);
        assertThat(guard.openCircuits()).isEmpty();
    }

    @Test
    void sends_let_through_before_the_circuit_opened_do_not_decide_it() {
        List<DestinationGuard.Permit> inFlight = new ArrayList<>();
        inFlight.add(((DestinationGuard.Admission.Go) guard.admit(slow)).permit());
        openCircuit();
        inFlight.get(0).record(SENT); // an answer from before: the circuit stays open until a probe says otherwise
        inFlight.get(0).close();
        assertThat(guard.openCircuits()).singleElement().extracting(DestinationGuard.CircuitView::state).isEqualTo("open");
    }

    @Test
    void the_unlimited_guard_admits_everything() {
        for (int i = 0; i < 100; i++) {
            assertThat(DestinationGuard.NONE.admit(slow)).isInstanceOf(DestinationGuard.Admission.Go.class);
        }
    }

    private void openCircuit() {
        for (int i = 0; i < 5; i++) {
            send(slow, TIMEOUT);
        }
        assertThat(guard.openCircuits()).hasSize(1);
    }

    @Test
    void a_probe_that_finds_every_slot_taken_lets_the_next_send_probe() {
        DestinationGuard tight = new DestinationGuard(2, new Circuit.Rules(2, 2, 0.5, OPEN_FOR, Duration.ofSeconds(5)),
                Duration.ZERO, clock);
        DestinationGuard.Permit first = ((DestinationGuard.Admission.Go) tight.admit(slow)).permit();
        DestinationGuard.Permit second = ((DestinationGuard.Admission.Go) tight.admit(slow)).permit();
        first.record(TIMEOUT);
        second.record(TIMEOUT); // the circuit opens; both sends still hold their slots
        clock.advance(OPEN_FOR);
        DestinationGuard.Admission busy = tight.admit(slow);
        assertThat(busy).isInstanceOf(DestinationGuard.Admission.Defer.class);
        assertThat(((DestinationGuard.Admission.Defer) busy).deferral().cause()).isEqualTo(DeliveryDeferral.Cause.BULKHEAD_FULL);
        first.close();
        second.close();
        assertThat(tight.admit(slow)).as("the probe that never went does not hold the circuit")
                .isInstanceOf(DestinationGuard.Admission.Go.class);
    }

    @Test
    void a_send_interrupted_while_waiting_for_a_slot_is_put_off_and_its_thread_stays_interrupted() {
        DestinationGuard waiting = new DestinationGuard(1, Circuit.Rules.DEFAULT, Duration.ofSeconds(30), clock);
        DestinationGuard.Permit held = ((DestinationGuard.Admission.Go) waiting.admit(slow)).permit();
        Thread.currentThread().interrupt(); // the host is shutting down
        try {
            assertThat(waiting.admit(slow)).isInstanceOf(DestinationGuard.Admission.Defer.class);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
            held.close();
        }
    }

    @Test
    void open_circuits_are_listed_by_destination() {
        ChannelConfig first = webhook("https://a.example/hook");
        for (int i = 0; i < 5; i++) {
            send(slow, TIMEOUT);
            send(other, TIMEOUT);
            send(first, TIMEOUT);
        }
        assertThat(guard.openCircuits()).extracting(view -> view.destination().key())
                .containsExactly("https://a.example:443", "https://other.example:443", "https://slow.example:8443");
    }
}
