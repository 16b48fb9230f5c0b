package io.sequencer.engine.broadcast;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.channel.ChannelTypes;
import io.sequencer.domain.broadcast.BroadcastReport;
import io.sequencer.domain.broadcast.BroadcastStatus;
import io.sequencer.domain.broadcast.FanOutPage;
import io.sequencer.domain.broadcast.Recipient;
import io.sequencer.domain.broadcast.SendChunk;
import io.sequencer.domain.subscriber.Engagement;
import io.sequencer.domain.subscriber.Subscriber;
import io.sequencer.domain.timer.RetryBackoff;
import io.sequencer.engine.Stored;
import io.sequencer.engine.send.Channel;
import io.sequencer.engine.send.SendGate;
import io.sequencer.engine.send.SendResult;
import io.sequencer.engine.subscriber.SubscriberStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Broadcasts under faults: a process dying at any storage or queue call of the fan-out or of a send, duplicated
 * messages, and a cancel racing senders on other threads.
 */
class BroadcastFaultsTest {
    private static final String ACCOUNT = BroadcastsTest.ACCOUNT;

    /** Counts port calls and throws at call number {@code at} (0: never), as a process dying there would. */
    static final class Crash {
        final int at;
        final AtomicInteger calls = new AtomicInteger();
        volatile boolean armed = true;

        Crash(int at) {
            this.at = at;
        }

        @SuppressWarnings("unchecked")
        <T> T around(Class<T> port, T real) {
            return (T) Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, (proxy, method, args) -> {
                if (armed && calls.incrementAndGet() == at) {
                    throw new IllegalStateException("process died at call " + at + " (" + method.getName() + ")");
                }
                try {
                    return method.invoke(real, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });
        }
    }

    /** Runs everything, putting a message back (visible again at once) whenever its handler died. */
    private static void runRedelivering(BroadcastsTest.Fixture f) {
        for (int guard = 0; guard < 100_000; guard++) {
            Optional<Object> next = f.queue.takeNextVisible();
            if (next.isEmpty()) {
                Optional<Instant> at = f.queue.nextVisibleAt();
                if (at.isEmpty()) {
                    return;
                }
                f.clock.set(at.get());
                continue;
            }
            try {
                f.handle(next.get());
            } catch (IllegalStateException died) {
                if (next.get() instanceof FanOutPage page) {
                    f.queue.fanOut(page, f.clock.instant());
                } else {
                    f.queue.send((SendChunk) next.get(), f.clock.instant());
                }
            }
        }
        throw new AssertionError("the queues never emptied");
    }

    private static BroadcastsTest.Fixture fixtureWith(int subscribers) {
        BroadcastsTest.Fixture f = new BroadcastsTest.Fixture();
        IntStream.range(0, subscribers).forEach(i -> f.subscriber(String.format("s%04d", i), Optional.empty(), Map.of()));
        return f;
    }

    @Test
    void a_fan_out_dying_at_any_call_resumes_and_nobody_is_sent_it_twice() {
        int audience = 1_100; // three account pages
        int points = 0;
        for (int point = 1; ; point++) {
            final int at = point;
            BroadcastsTest.Fixture f = fixtureWith(audience);
            Crash crash = new Crash(at);
            f.broadcasts.schedule(ACCOUNT, "promo", BroadcastsTest.at(f.clock.instant(), List.of(), true, Optional.empty()));
            // Only the fan-out's calls go through the crash.
            f.fanOut = new BroadcastFanOut(crash.around(BroadcastStore.class, f.store), f.subscriberStore,
                    f.subscribers, crash.around(BroadcastQueue.class, f.queue), f.clock);
            runRedelivering(f);

            assertThat(f.sendsBySubscriber()).as("crash at call %d", at).hasSize(audience)
                    .allSatisfy((id, sends) -> assertThat(sends).as("sends to %s, crash at call %d", id, at).isEqualTo(1));
            BroadcastReport report = f.broadcasts.get(ACCOUNT, "promo");
            assertThat(report.audience()).as("crash at call %d", at).isEqualTo(audience);
            assertThat(report.sent()).isEqualTo(audience);
            assertThat(report.status()).isEqualTo(BroadcastStatus.SENT);
            if (crash.calls.get() < at) {
                break; // past the last call of the fan-out
            }
            points++;
        }
        assertThat(points).as("fault points tried: 3 pages, each a read, a write, its send messages, the next page and the commit").isGreaterThan(50);
    }

    @Test
    void a_send_dying_at_any_call_is_finished_by_the_retry_with_the_same_delivery_id_and_counted_once() {
        int audience = 30;
        int struck = 0;
        for (int point = 1; ; point++) {
            final int at = point;
            BroadcastsTest.Fixture f = fixtureWith(audience);
            f.broadcasts.schedule(ACCOUNT, "promo", BroadcastsTest.at(f.clock.instant(), List.of(), true, Optional.empty()));
            f.handleNext(); // the fan-out, without faults
            Crash crash = new Crash(at);
            f.wire(crash.around(BroadcastStore.class, f.store), crash.around(BroadcastQueue.class, f.queue));
            int before = crash.calls.get();
            runRedelivering(f);
            boolean crashed = crash.calls.get() >= at && before < at;

            assertThat(f.sendsBySubscriber()).as("crash at call %d", at).hasSize(audience);
            f.sent.stream().collect(Collectors.groupingBy(BroadcastsTest.Fixture.Sent::subscriberId,
                    Collectors.mapping(BroadcastsTest.Fixture.Sent::deliveryId,
                            Collectors.toSet())))
                    .forEach((id, ids) -> assertThat(ids).as("delivery ids of %s", id).hasSize(1));
            long repeated = f.sent.size() - audience;
            assertThat(repeated).as("sends repeated after a crash at call %d", at).isLessThanOrEqualTo(1);
            BroadcastReport report = f.broadcasts.get(ACCOUNT, "promo");
            assertThat(report.sent()).as("crash at call %d", at).isEqualTo(audience);
            assertThat(report.audience()).isEqualTo(audience);
            // A sender that died before closing its lease leaves it to run out (a cancel would wait for it).
            assertThat(f.store.leases(ACCOUNT, "promo")).as("leases left, crash at call %d", at).hasSizeLessThanOrEqualTo(1);
            if (!crashed) {
                break;
            }
            struck++;
        }
        // Each of the 30 sends reads its recipient, claims it, sends and records: well over 60 calls to die at.
        assertThat(struck).as("fault points that struck a send's store or queue call").isGreaterThan(60);
    }

    @Test
    void a_recipient_claimed_by_a_live_sender_is_left_to_it_and_looked_at_again_when_the_claim_ends() {
        BroadcastsTest.Fixture f = fixtureWith(2);
        f.broadcasts.schedule(ACCOUNT, "promo", BroadcastsTest.at(f.clock.instant(), List.of(), true, Optional.empty()));
        f.handleNext();
        var stored = f.store.recipient(ACCOUNT, "promo", "s0000").orElseThrow();
        Instant claimEnd = f.clock.instant().plus(BroadcastSender.LEASE);
        f.store.replaceRecipient(stored.value().claim(claimEnd), stored.etag()); // another sender is on it

        f.handleNext();
        assertThat(f.sendsBySubscriber()).isEqualTo(Map.of("s0001", 1L));

        f.runAll(); // that sender died: once its claim ends, the message put back for it sends
        assertThat(f.sendsBySubscriber()).isEqualTo(Map.of("s0000", 1L, "s0001", 1L));
        assertThat(f.sent.getLast().at()).isEqualTo(claimEnd);
    }

    @Test
    void every_message_delivered_twice_sends_once() {
        BroadcastsTest.Fixture f = fixtureWith(120);
        f.broadcasts.schedule(ACCOUNT, "promo", BroadcastsTest.at(f.clock.instant(), List.of(), true, Optional.empty()));
        Optional<Object> next;
        while ((next = f.queue.takeNextVisible()).isPresent()) {
            f.handle(next.get());
            f.handle(next.get());
        }
        f.runAll();
        assertThat(f.sendsBySubscriber()).hasSize(120).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
        assertThat(f.broadcasts.get(ACCOUNT, "promo").audience()).isEqualTo(120);
    }

    @Test
    void nobody_receives_the_broadcast_once_it_reads_cancelled_though_senders_race_the_cancel() throws Exception {
        BroadcastsTest.Fixture f = fixtureWith(1_000);
        record Received(long startedNanos, long finishedNanos) {}
        ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
        AtomicInteger sends = new AtomicInteger();
        Channel slow = (config, delivery) -> {
            long started = System.nanoTime();
            sleep(2);
            received.add(new Received(started, System.nanoTime()));
            sends.incrementAndGet();
            return new SendResult.Sent("ok");
        };
        BroadcastSender sender = new BroadcastSender(f.store, f.subscriberStore, f.queue, slow, SendGate.open(ChannelTypes.ALL.rules()),
                RetryBackoff.DEFAULT, f.tokens, f.clock);
        Instant sendAt = f.clock.instant().plusSeconds(10);
        f.broadcasts.schedule(ACCOUNT, "promo", BroadcastsTest.at(sendAt, List.of(), true, Optional.empty()));
        while (f.handleNext()) {
            // the fan-out pages; the send messages wait for their time
        }
        assertThat(f.store.find(ACCOUNT, "promo").orElseThrow().value().fanOut().done()).isTrue();
        f.clock.set(sendAt);

        ExecutorService workers = Executors.newFixedThreadPool(4);
        for (int w = 0; w < 4; w++) {
            workers.submit(() -> {
                Optional<Object> message;
                while ((message = f.queue.takeNextVisible()).isPresent()) {
                    sender.handle((SendChunk) message.get());
                }
            });
        }
        long giveUpAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (sends.get() < 100 && System.nanoTime() < giveUpAt) {
            sleep(1);
        }
        // The cancel answers at once (the senders are mid-message: most likely "cancelling"); reading the broadcast
        // until it says "cancelled" is how a caller learns that nothing more goes out.
        BroadcastStatus status = f.broadcasts.cancel(ACCOUNT, "promo").status();
        long stopReadingAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (status != BroadcastStatus.CANCELLED && System.nanoTime() < stopReadingAt) {
            assertThat(status).isEqualTo(BroadcastStatus.CANCELLING);
            sleep(1);
            status = f.broadcasts.get(ACCOUNT, "promo").status();
        }
        long saidCancelled = System.nanoTime();
        assertThat(status).isEqualTo(BroadcastStatus.CANCELLED);
        workers.shutdown();
        assertThat(workers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        assertThat(received).allSatisfy(r -> assertThat(r.finishedNanos()).isLessThan(saidCancelled));
        assertThat(received.size()).isBetween(100, 999);
        BroadcastReport report = f.broadcasts.get(ACCOUNT, "promo");
        assertThat(report.status()).isEqualTo(BroadcastStatus.CANCELLED);
        assertThat(report.sent()).isEqualTo(received.size());
        assertThat(report.unsettled()).isEqualTo(1_000 - received.size());
        assertThat(f.store.recipients(ACCOUNT, "promo")).filteredOn(r -> r.state() == Recipient.State.CLAIMED).isEmpty();
    }

    @Test
    void a_message_that_fails_every_attempt_records_its_unsettled_recipients_as_failed_with_the_error() {
        BroadcastsTest.Fixture f = fixtureWith(3);
        f.broadcasts.schedule(ACCOUNT, "promo", BroadcastsTest.at(f.clock.instant(), List.of(), true, Optional.empty()));
        f.handleNext();
        SendChunk chunk = (SendChunk) f.queue.takeNextVisible().orElseThrow();
        f.sender.handle(new SendChunk(ACCOUNT, "promo", chunk.dueAt(), List.of("s0000"))); // one goes out first

        var held = f.store.recipient(ACCOUNT, "promo", "s0002").orElseThrow();
        f.store.replaceRecipient(held.value().claim(f.clock.instant().plusSeconds(60)), held.etag()); // another copy sends
        assertThat(f.sender.abandon(chunk, "TableServiceException: 503")).isEqualTo(1);
        f.clock.advance(Duration.ofSeconds(61)); // that copy died: its claim has run out
        assertThat(f.sender.abandon(chunk, "TableServiceException: 503")).isEqualTo(1);
        assertThat(f.sender.abandon(chunk, "TableServiceException: 503")).isZero();

        BroadcastReport report = f.broadcasts.get(ACCOUNT, "promo");
        assertThat(report.sent()).isEqualTo(1);
        assertThat(report.failed()).isEqualTo(Map.of("transient", 2L));
        assertThat(report.status()).isEqualTo(BroadcastStatus.SENT);
        assertThat(f.store.recipient(ACCOUNT, "promo", "s0001").orElseThrow().value().detail().orElseThrow())
                .contains("TableServiceException: 503");
    }

    @Test
    void an_event_reported_while_its_send_is_under_way_does_not_leave_the_recipient_unsettled() {
        BroadcastsTest.Fixture f = fixtureWith(1);
        f.broadcasts.schedule(ACCOUNT, "promo", BroadcastsTest.at(f.clock.instant(), List.of(), true, Optional.empty()));
        f.handleNext();
        // The host reports "delivered" before it answers the webhook call that delivered it.
        Channel eager = (config, delivery) -> {
            f.broadcasts.engage(ACCOUNT, "promo", delivery.subscriberId(), Engagement.DELIVERED);
            return new SendResult.Sent("ok");
        };
        new BroadcastSender(f.store, f.subscriberStore, f.queue, eager, SendGate.open(ChannelTypes.ALL.rules()),
                RetryBackoff.DEFAULT, f.tokens, f.clock)
                .handle((SendChunk) f.queue.takeNextVisible().orElseThrow());

        BroadcastReport report = f.broadcasts.get(ACCOUNT, "promo");
        assertThat(report.sent()).isEqualTo(1);
        assertThat(report.engagement().get(Engagement.DELIVERED)).isEqualTo(1);
        assertThat(report.status()).isEqualTo(BroadcastStatus.SENT);
        assertThat(f.store.recipient(ACCOUNT, "promo", "s0000").orElseThrow().value().state())
                .isEqualTo(Recipient.State.SENT);
    }

    @Test
    void checks_that_outlast_the_lease_send_nothing_and_leave_the_recipient_to_a_new_message() {
        BroadcastsTest.Fixture f = fixtureWith(2);
        f.broadcasts.schedule(ACCOUNT, "promo", BroadcastsTest.at(f.clock.instant(), List.of(), true, Optional.empty()));
        f.handleNext();
        // Storage so slow that reading a profile takes 90 s of the sender's 2-minute lease.
        SubscriberStore slow = new io.sequencer.engine.subscriber.SubscriberStore() {
            public Optional<Stored<Subscriber>> find(String a, String s) {
                f.clock.advance(Duration.ofSeconds(90));
                return f.subscriberStore.find(a, s);
            }

            public void create(Subscriber s) {
                f.subscriberStore.create(s);
            }

            public void replace(Subscriber s, String etag) {
                f.subscriberStore.replace(s, etag);
            }

            public List<Subscriber> page(String a, Optional<String> after, int max) {
                return f.subscriberStore.page(a, after, max);
            }

            public void delete(String a, String s, String etag) {
                f.subscriberStore.delete(a, s, etag);
            }
        };
        Instant leaseEnd = f.clock.instant().plus(BroadcastSender.LEASE);
        new BroadcastSender(f.store, slow, f.queue, f.channel, SendGate.open(ChannelTypes.ALL.rules()), RetryBackoff.DEFAULT,
                f.tokens, f.clock).handle((SendChunk) f.queue.takeNextVisible().orElseThrow());

        assertThat(f.sent).isEmpty();
        assertThat(f.clock.instant()).isBefore(leaseEnd);
        f.runAll();
        assertThat(f.sendsBySubscriber()).isEqualTo(Map.of("s0000", 1L, "s0001", 1L));
    }

    @Test
    void a_first_page_that_runs_before_its_broadcast_is_stored_comes_back_for_it() {
        BroadcastsTest.Fixture f = fixtureWith(1);
        FanOutPage early = new FanOutPage(ACCOUNT, "promo", 0, 0);
        assertThat(f.fanOut.handle(early)).isInstanceOf(BroadcastFanOut.Outcome.Later.class);
        f.queue.takeNextVisible(); // (nothing visible yet: it came back later)
        f.broadcasts.schedule(ACCOUNT, "promo", BroadcastsTest.at(f.clock.instant(), List.of(), true, Optional.empty()));
        f.runAll();
        assertThat(f.sendsBySubscriber()).isEqualTo(Map.of("s0000", 1L));
        assertThat(f.fanOut.handle(new FanOutPage(ACCOUNT, "never", 0, FanOutPage.MAX_WAITS)))
                .isInstanceOf(BroadcastFanOut.Outcome.Dropped.class);
    }

    @Test
    void a_page_that_fails_every_attempt_shows_its_error_and_a_repeated_put_resumes_the_fan_out() {
        BroadcastsTest.Fixture f = fixtureWith(3);
        BroadcastRequest request = BroadcastsTest.at(f.clock.instant(), List.of(), true, Optional.empty());
        f.broadcasts.schedule(ACCOUNT, "promo", request);
        FanOutPage page = (FanOutPage) f.queue.takeNextVisible().orElseThrow();
        BroadcastStore failing = (BroadcastStore) Proxy.newProxyInstance(BroadcastStore.class.getClassLoader(),
                new Class<?>[] {BroadcastStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("addRecipients")) {
                        throw new IllegalStateException("TableServiceException: 500 InternalError");
                    }
                    try {
                        return method.invoke(f.store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        BroadcastFanOut broken = new BroadcastFanOut(failing, f.subscriberStore, f.subscribers, f.queue, f.clock);
        for (int attempt = 1; attempt <= 5; attempt++) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> broken.handle(page))
                    .isInstanceOf(IllegalStateException.class);
        }
        assertThat(f.fanOut.recordFailure(page, "TableServiceException: 500 InternalError")).isTrue();
        assertThat(f.broadcasts.get(ACCOUNT, "promo").broadcast().fanOut().failure())
                .contains("TableServiceException: 500 InternalError");
        f.runAll();
        assertThat(f.sent).isEmpty(); // nothing left to run it: the page is in the poison queue

        assertThat(f.broadcasts.schedule(ACCOUNT, "promo", request).created()).isFalse();
        f.runAll();
        assertThat(f.sendsBySubscriber()).hasSize(3);
        BroadcastReport report = f.broadcasts.get(ACCOUNT, "promo");
        assertThat(report.status()).isEqualTo(BroadcastStatus.SENT);
        assertThat(report.broadcast().fanOut().failure()).isEmpty();
        assertThat(f.fanOut.recordFailure(page, "late")).as("a page already fanned out").isFalse();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
