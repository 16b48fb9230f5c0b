package io.sequencer.engine.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.channel.ChannelTypes;
import io.sequencer.channel.messenger.MessengerConfig;
import io.sequencer.channel.messenger.MessengerRules;
import io.sequencer.channel.webhook.WebhookConfig;
import io.sequencer.domain.Invalid;
import io.sequencer.domain.broadcast.AudienceMember;
import io.sequencer.domain.broadcast.BroadcastReport;
import io.sequencer.domain.broadcast.BroadcastStatus;
import io.sequencer.domain.broadcast.BroadcastTime;
import io.sequencer.domain.broadcast.FanOutPage;
import io.sequencer.domain.broadcast.Recipient;
import io.sequencer.domain.broadcast.SendChunk;
import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.domain.sequence.Condition;
import io.sequencer.domain.subscriber.AttributeOperator;
import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.domain.subscriber.Engagement;
import io.sequencer.domain.subscriber.MarketingOptIn;
import io.sequencer.domain.subscriber.OptInReport;
import io.sequencer.domain.subscriber.Subscriber;
import io.sequencer.domain.timer.RetryBackoff;
import io.sequencer.engine.AlreadyExists;
import io.sequencer.engine.Conflict;
import io.sequencer.engine.NotFound;
import io.sequencer.engine.Sequencer;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.send.Channel;
import io.sequencer.engine.send.Delivery;
import io.sequencer.engine.send.DeliveryTarget;
import io.sequencer.engine.send.DestinationGuard;
import io.sequencer.engine.send.SendGate;
import io.sequencer.engine.send.SendResult;
import io.sequencer.engine.subscriber.ProfileWrite;
import io.sequencer.engine.subscriber.Subscribers;
import io.sequencer.engine.timer.TimerTokens;
import io.sequencer.testing.Budgets;
import io.sequencer.testing.InMemoryBroadcastQueue;
import io.sequencer.testing.InMemoryBroadcastStore;
import io.sequencer.testing.InMemoryEnrollmentStore;
import io.sequencer.testing.InMemorySequenceStore;
import io.sequencer.testing.InMemorySubscriberStore;
import io.sequencer.testing.InMemoryTimerQueue;
import io.sequencer.testing.SteppingClock;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BroadcastsTest {
    static final String ACCOUNT = "acme";
    static final ChannelConfig WEBHOOK = new WebhookConfig(URI.create("https://host.example/hook"), Optional.empty());

    /** The broadcast engine on in-memory ports and a stepping clock, with a loop that plays both queue triggers. */
    static final class Fixture {
        final SteppingClock clock = SteppingClock.at("2026-12-03T12:00:00Z");
        final InMemoryBroadcastStore store = new InMemoryBroadcastStore();
        final InMemoryBroadcastQueue queue = new InMemoryBroadcastQueue(clock);
        final InMemorySubscriberStore subscriberStore = new InMemorySubscriberStore();
        final AtomicLong tokenCounter = new AtomicLong();
        final TimerTokens tokens = () -> "lease-" + tokenCounter.incrementAndGet();
        final Subscribers subscribers;
        final Broadcasts broadcasts;
        final Deque<Sent> sent = new ConcurrentLinkedDeque<>();
        final Deque<SendResult> script = new ConcurrentLinkedDeque<>();
        final Channel channel = (config, delivery) -> {
            sent.add(new Sent(delivery.subscriberId(), delivery.deliveryId().value(), clock.instant(), delivery));
            SendResult next = script.poll();
            return next == null ? new SendResult.Sent("ok") : next;
        };
        BroadcastFanOut fanOut;
        BroadcastSender sender;
        /** No bulkhead or circuits unless a test sets one (and wires again). */
        DestinationGuard guard = DestinationGuard.NONE;

        record Sent(String subscriberId, String deliveryId, Instant at, Delivery delivery) {}

        Fixture() {
            var sequenceStore = new InMemorySequenceStore();
            subscribers = Sequencer.builder().clock(clock)
                    .stores(sequenceStore, new InMemoryEnrollmentStore(), subscriberStore)
                    .timers(new InMemoryTimerQueue(clock)).tokens(tokens).build().subscribers();
            broadcasts = new Broadcasts(store, queue, clock);
            wire(store, queue);
        }

        /** Handlers on these ports (a test may wrap them to inject faults). */
        void wire(BroadcastStore s, BroadcastQueue q) {
            fanOut = new BroadcastFanOut(s, subscriberStore, subscribers, q, clock);
            sender = new BroadcastSender(s, subscriberStore, q, channel,
                    new SendGate(Duration.ofMinutes(30), Budgets.of(300, 100, 1, clock), guard, ChannelTypes.ALL.rules()),
                    new RetryBackoff(Duration.ofSeconds(10), Duration.ofMinutes(5), 4), tokens, clock);
        }

        void subscriber(String id, Optional<String> zone, Map<String, Optional<AttributeValue>> attributes) {
            subscribers.add(ACCOUNT, id, attributes, zone.map(ZoneId::of), Optional.empty());
        }

        /** Handles one message; false when none is visible now. */
        boolean handleNext() {
            Optional<Object> next = queue.takeNextVisible();
            next.ifPresent(this::handle);
            return next.isPresent();
        }

        void handle(Object message) {
            if (message instanceof FanOutPage page) {
                fanOut.handle(page);
            } else {
                sender.handle((SendChunk) message);
            }
        }

        /** Plays the queues until nothing is left, stepping the clock to each next message. */
        void runAll() {
            for (int guard = 0; guard < 100_000; guard++) {
                if (!handleNext()) {
                    Optional<Instant> at = queue.nextVisibleAt();
                    if (at.isEmpty()) {
                        return;
                    }
                    clock.set(at.get());
                }
            }
            throw new AssertionError("the queues never emptied");
        }

        Map<String, Long> sendsBySubscriber() {
            return sent.stream().collect(Collectors.groupingBy(Sent::subscriberId, Collectors.counting()));
        }
    }

    static BroadcastRequest at(Instant when, List<AudienceMember> listed, boolean everyone, Optional<Condition> match) {
        return new BroadcastRequest(new BroadcastTime.At(when), WEBHOOK, "{\"text\":\"Sale!\"}", Optional.empty(), listed,
                everyone, match);
    }

    @Test
    void a_templated_broadcast_greets_each_subscriber_in_their_zone_and_a_failing_render_fails_that_one_alone() {
        Fixture f = new Fixture();
        f.subscriber("ann", Optional.of("Asia/Tokyo"), Map.of("first_name", Optional.of(new AttributeValue.Text("Ann"))));
        f.subscriber("bob", Optional.empty(), Map.of("bio", Optional.of(new AttributeValue.Text("x".repeat(1000)))));
        // Bob's bio doubled past the render's limit; Ann has none, so her loop stays small.
        String text = "Hi {{ subscriber.attributes.first_name | default: 'friend' }} at {{ 'now' | date: '%H:%M' }}"
                + "{% assign s = subscriber.attributes.bio %}{% for i in (1..6) %}{% assign s = s | append: s %}"
                + "{% endfor %}";
        f.broadcasts.schedule(ACCOUNT, "hello", new BroadcastRequest(new BroadcastTime.At(f.clock.instant()), WEBHOOK,
                "{\"text\":\"" + text + "\"}", Optional.empty(), List.of(), true, Optional.empty()));

        f.runAll();

        assertThat(f.sent).extracting(s -> s.delivery().message())
                .containsExactly("{\"text\":\"Hi Ann at 21:00\"}");
        BroadcastReport report = f.broadcasts.get(ACCOUNT, "hello");
        assertThat(report.sent()).isEqualTo(1);
        assertThat(report.failed()).containsValue(1L);
    }

    @Test
    void each_subscriber_gets_a_local_time_broadcast_at_their_own_ten_oclock() {
        Fixture f = new Fixture();
        f.subscriber("auckland", Optional.of("Pacific/Auckland"), Map.of());
        f.subscriber("honolulu", Optional.of("Pacific/Honolulu"), Map.of());
        f.subscriber("nowhere", Optional.empty(), Map.of());
        LocalDateTime tenOClock = LocalDateTime.parse("2026-12-04T10:00:00");
        f.broadcasts.schedule(ACCOUNT, "friday", new BroadcastRequest(
                new BroadcastTime.Local(tenOClock, ZoneId.of("Europe/Berlin")), WEBHOOK, "{\"text\":\"Hi\"}",
                Optional.empty(), List.of(), true, Optional.empty()));

        f.runAll();

        Map<String, Instant> at = f.sent.stream().collect(Collectors.toMap(Fixture.Sent::subscriberId, Fixture.Sent::at));
        assertThat(at).containsOnlyKeys("auckland", "honolulu", "nowhere");
        assertThat(at.get("auckland")).isEqualTo(Instant.parse("2026-12-03T21:00:00Z")); // NZDT, UTC+13
        assertThat(at.get("honolulu")).isEqualTo(Instant.parse("2026-12-04T20:00:00Z")); // HST, UTC-10
        assertThat(at.get("nowhere")).isEqualTo(Instant.parse("2026-12-04T09:00:00Z")); // the fallback, Berlin
        assertThat(at.get("auckland").atZone(ZoneId.of("Pacific/Auckland")).toLocalDateTime()).isEqualTo(tenOClock);
        assertThat(at.get("honolulu").atZone(ZoneId.of("Pacific/Honolulu")).toLocalDateTime()).isEqualTo(tenOClock);
        BroadcastReport report = f.broadcasts.get(ACCOUNT, "friday");
        assertThat(report.status()).isEqualTo(BroadcastStatus.SENT);
        assertThat(report.audience()).isEqualTo(3);
        assertThat(report.sent()).isEqualTo(3);
    }

    @Test
    void nothing_goes_out_before_its_time_and_the_status_follows_the_fan_out() {
        Fixture f = new Fixture();
        f.subscriber("ann", Optional.empty(), Map.of());
        Instant sendAt = f.clock.instant().plus(Duration.ofHours(3));
        f.broadcasts.schedule(ACCOUNT, "promo", at(sendAt, List.of(), true, Optional.empty()));
        assertThat(f.broadcasts.get(ACCOUNT, "promo").status()).isEqualTo(BroadcastStatus.SCHEDULED);

        f.clock.advance(Duration.ofHours(2).plusMinutes(58).plusSeconds(30)); // past the fan-out's start
        while (f.handleNext()) {
            // fan-out pages now due
        }
        assertThat(f.sent).isEmpty();
        BroadcastReport sending = f.broadcasts.get(ACCOUNT, "promo");
        assertThat(sending.status()).isEqualTo(BroadcastStatus.SENDING);
        assertThat(sending.audience()).isEqualTo(1);
        assertThat(sending.unsettled()).isEqualTo(1);

        f.runAll();
        assertThat(f.sent).singleElement().satisfies(s -> assertThat(s.at()).isEqualTo(sendAt));
        assertThat(f.broadcasts.get(ACCOUNT, "promo").status()).isEqualTo(BroadcastStatus.SENT);
    }

    @Test
    void listed_and_matching_subscribers_get_it_once_and_profile_values_given_with_the_list_are_stored() {
        Fixture f = new Fixture();
        f.subscriber("gold-1", Optional.empty(), Map.of("tier", Optional.of(new AttributeValue.Text("gold"))));
        f.subscriber("gold-2", Optional.empty(), Map.of("tier", Optional.of(new AttributeValue.Text("gold"))));
        f.subscriber("silver", Optional.empty(), Map.of("tier", Optional.of(new AttributeValue.Text("silver"))));
        Condition gold = new Condition.AttributeTest("tier", AttributeOperator.IS, new AttributeValue.Text("gold"));
        List<AudienceMember> listed = List.of(
                new AudienceMember("gold-1", Optional.empty(), Map.of()),
                new AudienceMember("newcomer", Optional.of(ZoneId.of("Asia/Tokyo")),
                        Map.of("plan", Optional.of(new AttributeValue.Text("trial")))));
        f.broadcasts.schedule(ACCOUNT, "gold", at(f.clock.instant(), listed, false, Optional.of(gold)));

        f.runAll();

        assertThat(f.sendsBySubscriber()).isEqualTo(Map.of("gold-1", 1L, "gold-2", 1L, "newcomer", 1L));
        assertThat(f.broadcasts.get(ACCOUNT, "gold").audience()).isEqualTo(3);
        Subscriber newcomer = f.subscribers.get(ACCOUNT, "newcomer");
        assertThat(newcomer.timezone()).contains(ZoneId.of("Asia/Tokyo"));
        assertThat(newcomer.attributes().get("plan")).contains(new AttributeValue.Text("trial"));
    }

    @Test
    void a_subscriber_who_opted_out_after_scheduling_gets_nothing_and_is_counted_as_skipped() {
        Fixture f = new Fixture();
        f.subscriber("ann", Optional.empty(), Map.of());
        f.subscriber("bob", Optional.empty(), Map.of());
        Instant sendAt = f.clock.instant().plus(Duration.ofHours(1));
        f.broadcasts.schedule(ACCOUNT, "promo", at(sendAt, List.of(), true, Optional.empty()));
        f.clock.advance(Duration.ofMinutes(59));
        while (f.handleNext()) {
            // fanned out: both are in the audience
        }
        f.subscribers.optOut(ACCOUNT, "bob");

        f.runAll();

        assertThat(f.sendsBySubscriber()).isEqualTo(Map.of("ann", 1L));
        BroadcastReport report = f.broadcasts.get(ACCOUNT, "promo");
        assertThat(report.audience()).isEqualTo(2);
        assertThat(report.skipped()).isEqualTo(Map.of(Recipient.OPTED_OUT, 1L));
        assertThat(report.status()).isEqualTo(BroadcastStatus.SENT);
    }

    @Test
    void a_cancelled_broadcast_sends_nothing_more_and_shows_what_never_went() {
        Fixture f = new Fixture();
        IntStream.range(0, 60).forEach(i -> f.subscriber(String.format("s%03d", i), Optional.empty(), Map.of()));
        f.broadcasts.schedule(ACCOUNT, "promo", at(f.clock.instant(), List.of(), true, Optional.empty()));
        f.handleNext(); // the fan-out: 60 recipients in 3 send messages
        f.handleNext(); // the first 25 go out
        assertThat(f.sent).hasSize(SendChunk.MAX);

        BroadcastReport cancelled = f.broadcasts.cancel(ACCOUNT, "promo");
        f.runAll();

        assertThat(f.sent).hasSize(SendChunk.MAX);
        assertThat(cancelled.status()).isEqualTo(BroadcastStatus.CANCELLED);
        assertThat(cancelled.unsettled()).isEqualTo(60 - SendChunk.MAX);
        assertThat(f.broadcasts.cancel(ACCOUNT, "promo").status()).isEqualTo(BroadcastStatus.CANCELLED);
    }

    @Test
    void a_cancel_while_a_sender_is_mid_message_answers_at_once_and_says_cancelled_for_good_once_it_stopped() {
        Fixture f = new Fixture();
        IntStream.range(0, 60).forEach(i -> f.subscriber(String.format("s%03d", i), Optional.empty(), Map.of()));
        f.broadcasts.schedule(ACCOUNT, "promo", at(f.clock.instant(), List.of(), true, Optional.empty()));
        f.handleNext(); // the fan-out: 60 recipients in 3 send messages
        f.handleNext(); // the first 25 go out
        // A sender on another instance has read the broadcast and is sending (its lease is open).
        f.store.openLease(ACCOUNT, "promo", "elsewhere", f.clock.instant().plus(BroadcastSender.LEASE));

        BroadcastReport cancelling = f.broadcasts.cancel(ACCOUNT, "promo");
        assertThat(cancelling.status()).isEqualTo(BroadcastStatus.CANCELLING);
        assertThat(cancelling.unsettled()).isEqualTo(60 - SendChunk.MAX);
        f.runAll(); // the other send messages find the mark: nothing more is sent
        assertThat(f.sent).hasSize(SendChunk.MAX);
        assertThat(f.broadcasts.get(ACCOUNT, "promo").status()).isEqualTo(BroadcastStatus.CANCELLING);
        assertThat(f.broadcasts.cancel(ACCOUNT, "promo").status()).isEqualTo(BroadcastStatus.CANCELLING);

        f.store.closeLease(ACCOUNT, "promo", "elsewhere");
        assertThat(f.broadcasts.get(ACCOUNT, "promo").status()).isEqualTo(BroadcastStatus.CANCELLED);
        assertThat(f.store.find(ACCOUNT, "promo").orElseThrow().value().sendersStoppedAt()).contains(f.clock.instant());
        // A send message delivered again opens a lease, reads the mark and sends nothing: the status stays.
        f.store.openLease(ACCOUNT, "promo", "late", f.clock.instant().plus(BroadcastSender.LEASE));
        assertThat(f.broadcasts.get(ACCOUNT, "promo").status()).isEqualTo(BroadcastStatus.CANCELLED);
        assertThat(f.broadcasts.cancel(ACCOUNT, "promo").status()).isEqualTo(BroadcastStatus.CANCELLED);
    }

    @Test
    void a_sender_that_died_mid_message_keeps_a_cancel_pending_until_its_lease_ends_on_the_service_clock() {
        Fixture f = new Fixture();
        f.subscriber("ann", Optional.empty(), Map.of());
        f.broadcasts.schedule(ACCOUNT, "promo", at(f.clock.instant().plusSeconds(600), List.of(), true, Optional.empty()));
        Instant leaseEnd = f.clock.instant().plus(BroadcastSender.LEASE);
        f.store.openLease(ACCOUNT, "promo", "died", leaseEnd);

        assertThat(f.broadcasts.cancel(ACCOUNT, "promo").status()).isEqualTo(BroadcastStatus.CANCELLING);
        f.clock.set(leaseEnd.minusMillis(1));
        assertThat(f.broadcasts.get(ACCOUNT, "promo").status()).isEqualTo(BroadcastStatus.CANCELLING);
        f.clock.set(leaseEnd);
        assertThat(f.broadcasts.get(ACCOUNT, "promo").status()).isEqualTo(BroadcastStatus.CANCELLED);
        f.runAll();
        assertThat(f.sent).isEmpty();
    }

    @Test
    void a_broadcast_sent_to_everyone_cannot_be_cancelled() {
        Fixture f = new Fixture();
        f.subscriber("ann", Optional.empty(), Map.of());
        f.broadcasts.schedule(ACCOUNT, "promo", at(f.clock.instant(), List.of(), true, Optional.empty()));
        f.runAll();
        assertThatThrownBy(() -> f.broadcasts.cancel(ACCOUNT, "promo")).isInstanceOf(Conflict.class);
        assertThatThrownBy(() -> f.broadcasts.cancel(ACCOUNT, "nope")).isInstanceOf(NotFound.class);
    }

    @Test
    void transient_failures_are_retried_with_the_same_delivery_id_and_failures_are_counted_by_class() {
        Fixture f = new Fixture();
        f.subscriber("ann", Optional.empty(), Map.of());
        f.subscriber("bob", Optional.empty(), Map.of());
        f.script.add(new SendResult.TransientFailure("503", null));
        f.script.add(new SendResult.PermanentFailure("400 bad message"));
        f.broadcasts.schedule(ACCOUNT, "promo", at(f.clock.instant(), List.of(), true, Optional.empty()));

        f.runAll();

        List<String> annIds = f.sent.stream().filter(s -> s.subscriberId().equals("ann")).map(Fixture.Sent::deliveryId).toList();
        assertThat(annIds).hasSize(2).containsOnly(annIds.get(0));
        assertThat(f.sent.stream().filter(s -> s.subscriberId().equals("ann")).map(s -> s.delivery().attempt()))
                .containsExactly(1, 2);
        BroadcastReport report = f.broadcasts.get(ACCOUNT, "promo");
        assertThat(report.sent()).isEqualTo(1);
        assertThat(report.failed()).isEqualTo(Map.of("permanent", 1L));
        assertThat(report.status()).isEqualTo(BroadcastStatus.SENT);
    }

    @Test
    void sends_to_a_destination_whose_circuit_opened_wait_for_it_without_using_attempts_and_all_go_once_it_answers() {
        Fixture f = new Fixture();
        f.guard = new DestinationGuard(4, Duration.ofSeconds(30), f.clock);
        f.wire(f.store, f.queue);
        List<String> everyone = IntStream.rangeClosed(1, 8).mapToObj(i -> "s" + i).toList();
        everyone.forEach(id -> f.subscriber(id, Optional.empty(), Map.of()));
        IntStream.range(0, 5).forEach(i -> f.script.add(new SendResult.TransientFailure("webhook answered HTTP 503", null)));
        f.broadcasts.schedule(ACCOUNT, "promo", at(f.clock.instant(), List.of(), true, Optional.empty()));

        while (f.handleNext()) {
            // everything due now
        }
        assertThat(f.sent).as("five failures opened the circuit; the other three were put off, not sent").hasSize(5);
        assertThat(f.guard.openCircuits()).hasSize(1);
        f.runAll();

        BroadcastReport report = f.broadcasts.get(ACCOUNT, "promo");
        assertThat(report.sent()).isEqualTo(8);
        assertThat(report.failed()).isEmpty();
        assertThat(f.sent).hasSize(5 + 8);
        Map<String, List<Integer>> attempts = f.sent.stream().collect(Collectors.groupingBy(Fixture.Sent::subscriberId,
                Collectors.mapping(s -> s.delivery().attempt(), Collectors.toList())));
        assertThat(attempts.values()).as("an attempt is a send that reached the destination")
                .allSatisfy(tried -> assertThat(tried).isEqualTo(IntStream.rangeClosed(1, tried.size()).boxed().toList()));
        assertThat(attempts.values().stream().filter(tried -> tried.size() == 1).count()).isEqualTo(3);
    }

    @Test
    void messenger_rules_apply_outside_the_window_an_untagged_broadcast_is_skipped_and_a_tagged_one_goes() {
        Fixture f = new Fixture();
        f.subscriber("ann", Optional.empty(), Map.of());
        ChannelConfig messenger = new MessengerConfig("1234", "PAGE_TOKEN", "21.0");
        f.broadcasts.schedule(ACCOUNT, "untagged", new BroadcastRequest(new BroadcastTime.At(f.clock.instant()),
                messenger, "{\"text\":\"Hi\"}", Optional.empty(), List.of(), true, Optional.empty()));
        f.broadcasts.schedule(ACCOUNT, "tagged", new BroadcastRequest(new BroadcastTime.At(f.clock.instant()),
                messenger, "{\"text\":\"Your order\"}", Optional.of("POST_PURCHASE_UPDATE"), List.of(), true,
                Optional.empty()));

        f.runAll();

        assertThat(f.sent).singleElement().satisfies(s -> {
            assertThat(s.delivery().tag()).contains("POST_PURCHASE_UPDATE");
            assertThat(s.delivery().target()).isEqualTo(new DeliveryTarget.Broadcast(ACCOUNT, "tagged", "ann"));
        });
        assertThat(f.broadcasts.get(ACCOUNT, "untagged").skipped()).isEqualTo(Map.of(MessengerRules.OUTSIDE_WINDOW, 1L));
    }

    @Test
    void outside_the_window_a_marketing_broadcast_goes_to_usable_opt_in_tokens_and_a_refused_token_is_not_tried_again() {
        Fixture f = new Fixture();
        f.subscriber("ann", Optional.empty(), Map.of());
        f.subscriber("bob", Optional.empty(), Map.of());
        ProfileWrite.apply(f.subscriberStore, f.clock, ACCOUNT, "ann", false,
                (stored, base, now) -> base.withConversation(base.conversation().optedIn(
                        new OptInReport(Optional.of("ann-token"), Optional.empty(),
                                Optional.empty(), MarketingOptIn.Status.OPTED_IN), now), now));
        ChannelConfig messenger = new MessengerConfig("1234", "PAGE_TOKEN", "21.0");
        Function<String, BroadcastRequest> marketing = text -> new BroadcastRequest(
                new BroadcastTime.At(f.clock.instant()), messenger, "{\"text\":\"" + text + "\"}", Optional.empty(),
                List.of(), true, Optional.empty(), true, false);

        f.broadcasts.schedule(ACCOUNT, "sale", marketing.apply("Sale"));
        f.runAll();
        assertThat(f.sent).singleElement().satisfies(sent -> {
            assertThat(sent.subscriberId()).isEqualTo("ann");
            assertThat(sent.delivery().marketingToken()).contains("ann-token");
        });
        assertThat(f.broadcasts.get(ACCOUNT, "sale").skipped())
                .isEqualTo(Map.of(MessengerRules.NO_MARKETING_TOKEN, 1L));

        f.script.add(new SendResult.PermanentFailure("marketing_token_refused: graph error 10 (HTTP 400)", true));
        f.broadcasts.schedule(ACCOUNT, "refused", marketing.apply("Again"));
        f.runAll();
        f.broadcasts.schedule(ACCOUNT, "after", marketing.apply("Once more"));
        f.runAll();

        assertThat(f.sent).hasSize(2);
        assertThat(f.broadcasts.get(ACCOUNT, "after").skipped()).isEqualTo(Map.of(MessengerRules.NO_MARKETING_TOKEN, 2L));
    }

    @Test
    void engagement_is_counted_once_however_often_it_is_reported() {
        Fixture f = new Fixture();
        f.subscriber("ann", Optional.empty(), Map.of());
        f.broadcasts.schedule(ACCOUNT, "promo", at(f.clock.instant(), List.of(), true, Optional.empty()));
        f.runAll();

        assertThat(f.broadcasts.engage(ACCOUNT, "promo", "ann", Engagement.CLICKED)).isTrue();
        assertThat(f.broadcasts.engage(ACCOUNT, "promo", "ann", Engagement.CLICKED)).isTrue();
        assertThat(f.broadcasts.engage(ACCOUNT, "promo", "ann", Engagement.READ)).isTrue();
        assertThat(f.broadcasts.engage(ACCOUNT, "promo", "zed", Engagement.READ)).isFalse();

        BroadcastReport report = f.broadcasts.get(ACCOUNT, "promo");
        assertThat(report.engagement()).containsEntry(Engagement.CLICKED, 1L).containsEntry(Engagement.READ, 1L)
                .containsEntry(Engagement.DELIVERED, 1L).containsEntry(Engagement.REPLIED, 0L);
    }

    @Test
    void a_repeated_request_changes_nothing_and_another_definition_under_the_same_id_is_refused() {
        Fixture f = new Fixture();
        BroadcastRequest request = at(f.clock.instant().plus(Duration.ofDays(1)), List.of(AudienceMember.of("ann")), false,
                Optional.empty());
        assertThat(f.broadcasts.schedule(ACCOUNT, "promo", request).created()).isTrue();
        assertThat(f.broadcasts.schedule(ACCOUNT, "promo", request).created()).isFalse();
        assertThatThrownBy(() -> f.broadcasts.schedule(ACCOUNT, "promo",
                at(f.clock.instant().plus(Duration.ofDays(2)), List.of(AudienceMember.of("ann")), false, Optional.empty())))
                .isInstanceOf(Conflict.class);
        assertThatThrownBy(() -> f.broadcasts.schedule(ACCOUNT, "promo",
                at(f.clock.instant().plus(Duration.ofDays(1)), List.of(AudienceMember.of("bob")), false, Optional.empty())))
                .as("the same count of other subscribers").isInstanceOf(Conflict.class);
    }

    @Test
    void a_send_time_in_the_past_or_beyond_a_year_is_refused_naming_the_field() {
        Fixture f = new Fixture();
        assertThatThrownBy(() -> f.broadcasts.schedule(ACCOUNT, "late",
                at(f.clock.instant().minus(Duration.ofHours(1)), List.of(AudienceMember.of("ann")), false, Optional.empty())))
                .isInstanceOf(Invalid.class).hasMessageContaining("sendAt");
        assertThatThrownBy(() -> f.broadcasts.schedule(ACCOUNT, "far",
                at(f.clock.instant().plus(Duration.ofDays(400)), List.of(AudienceMember.of("ann")), false, Optional.empty())))
                .isInstanceOf(Invalid.class).hasMessageContaining("sendAt");
        // Ten o'clock today has passed in Auckland but not yet in Honolulu: still a valid local time.
        LocalDateTime today = LocalDateTime.ofInstant(f.clock.instant(), ZoneOffset.UTC).withHour(10).withMinute(0);
        f.broadcasts.schedule(ACCOUNT, "local", new BroadcastRequest(new BroadcastTime.Local(today.plusHours(12),
                ZoneOffset.UTC), WEBHOOK, "{}", Optional.empty(), List.of(AudienceMember.of("ann")), false, Optional.empty()));
    }

    /** {@code store}, with {@code before} run ahead of the first call of {@code method}; or, without, failing every one. */
    static BroadcastStore intercepted(BroadcastStore store, String method, AtomicInteger calls,
                                      Runnable before) {
        return (BroadcastStore) Proxy.newProxyInstance(BroadcastStore.class.getClassLoader(),
                new Class<?>[] {BroadcastStore.class}, (proxy, m, args) -> {
                    if (m.getName().equals(method)) {
                        int call = calls.incrementAndGet();
                        if (before == null) {
                            throw new StaleWrite("another writer was first");
                        }
                        if (call == 1) {
                            before.run();
                        }
                    }
                    try {
                        return m.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void a_schedule_that_loses_the_race_to_the_same_request_answers_as_its_repeat_and_to_another_is_refused() {
        Fixture f = new Fixture();
        BroadcastRequest request = at(f.clock.instant().plus(Duration.ofDays(1)), List.of(AudienceMember.of("ann")), false,
                Optional.empty());
        var calls = new java.util.concurrent.atomic.AtomicInteger();
        Broadcasts racing = new Broadcasts(intercepted(f.store, "create", calls,
                () -> f.broadcasts.schedule(ACCOUNT, "promo", request)), f.queue, f.clock);
        Broadcasts.Scheduled second = racing.schedule(ACCOUNT, "promo", request);
        assertThat(second.created()).isFalse();
        assertThat(second.report().status()).isEqualTo(BroadcastStatus.SCHEDULED);

        BroadcastRequest other = at(f.clock.instant().plus(Duration.ofDays(1)), List.of(AudienceMember.of("bob")), false,
                Optional.empty());
        var otherCalls = new java.util.concurrent.atomic.AtomicInteger();
        Broadcasts racingOther = new Broadcasts(intercepted(f.store, "create", otherCalls,
                () -> f.broadcasts.schedule(ACCOUNT, "other", request)), f.queue, f.clock);
        assertThatThrownBy(() -> racingOther.schedule(ACCOUNT, "other", other)).isInstanceOf(Conflict.class);
    }

    @Test
    void a_repeated_request_queues_a_fan_out_that_never_started_once_it_is_overdue_and_not_before() {
        Fixture f = new Fixture();
        f.subscriber("ann", Optional.empty(), Map.of());
        // A local time: the repeat may come after its first zone's time, while it is still ahead in the last one.
        LocalDateTime tenOClock = LocalDateTime.ofInstant(f.clock.instant(), ZoneOffset.UTC).plusDays(1).withHour(10);
        BroadcastRequest request = new BroadcastRequest(new BroadcastTime.Local(tenOClock, ZoneId.of("Pacific/Honolulu")),
                WEBHOOK, "{}", Optional.empty(), List.of(), true, Optional.empty());
        f.broadcasts.schedule(ACCOUNT, "promo", request);
        Instant fanOutAt = f.store.find(ACCOUNT, "promo").orElseThrow().value().fanOutAt();
        f.clock.set(fanOutAt);
        assertThat(f.queue.takeNextVisible()).as("the first page message, lost").isPresent();
        f.clock.set(fanOutAt.plus(Broadcasts.FAN_OUT_OVERDUE));
        f.broadcasts.schedule(ACCOUNT, "promo", request);
        assertThat(f.queue.pending()).as("not overdue yet").isEmpty();
        f.clock.advance(Duration.ofSeconds(1));
        f.broadcasts.schedule(ACCOUNT, "promo", request);
        assertThat(f.queue.pending()).singleElement().satisfies(m -> {
            assertThat(m.body()).isEqualTo(new FanOutPage(ACCOUNT, "promo", 0, 0));
            assertThat(m.visibleAt()).isEqualTo(f.clock.instant());
        });
        f.runAll();
        assertThat(f.sent).hasSize(1);
        f.broadcasts.schedule(ACCOUNT, "promo", request);
        assertThat(f.queue.pending()).as("fanned out: nothing to queue again").isEmpty();
    }

    @Test
    void a_local_send_time_in_the_past_is_refused_naming_its_own_field() {
        Fixture f = new Fixture();
        LocalDateTime yesterday = LocalDateTime.ofInstant(f.clock.instant(), ZoneOffset.UTC).minusDays(2);
        assertThatThrownBy(() -> f.broadcasts.schedule(ACCOUNT, "late", new BroadcastRequest(
                new BroadcastTime.Local(yesterday, ZoneOffset.UTC), WEBHOOK, "{}", Optional.empty(),
                List.of(AudienceMember.of("ann")), false, Optional.empty())))
                .isInstanceOfSatisfying(Invalid.class,
                        e -> assertThat(e.errors()).extracting(error -> error.field()).containsExactly("sendAtLocal"));
    }

    @Test
    void engagement_reported_in_a_batch_says_per_entry_whether_the_subscriber_is_in_the_audience() {
        Fixture f = new Fixture();
        f.subscriber("ann", Optional.empty(), Map.of());
        f.broadcasts.schedule(ACCOUNT, "promo", at(f.clock.instant(), List.of(), true, Optional.empty()));
        f.runAll();
        assertThat(f.broadcasts.engageAll(ACCOUNT, "promo", List.of(new Broadcasts.Reported("ann", Engagement.CLICKED),
                new Broadcasts.Reported("zed", Engagement.CLICKED)))).containsExactly(true, false);
        assertThatThrownBy(() -> f.broadcasts.engageAll(ACCOUNT, "nope", List.of())).isInstanceOf(NotFound.class);
    }

    @Test
    void a_cancel_or_an_engagement_that_keeps_losing_races_gives_up_after_five_tries() {
        Fixture f = new Fixture();
        f.subscriber("ann", Optional.empty(), Map.of());
        f.broadcasts.schedule(ACCOUNT, "promo", at(f.clock.instant(), List.of(), true, Optional.empty()));
        f.runAll();
        var cancels = new java.util.concurrent.atomic.AtomicInteger();
        Broadcasts cancelling = new Broadcasts(intercepted(f.store, "replace", cancels, null), f.queue, f.clock);
        f.broadcasts.schedule(ACCOUNT, "later", at(f.clock.instant().plus(Duration.ofDays(1)), List.of(), true, Optional.empty()));
        assertThatThrownBy(() -> cancelling.cancel(ACCOUNT, "later")).isInstanceOf(Conflict.class);
        assertThat(cancels).hasValue(5);
        var engagements = new java.util.concurrent.atomic.AtomicInteger();
        Broadcasts engaging = new Broadcasts(intercepted(f.store, "replaceRecipient", engagements, null), f.queue, f.clock);
        assertThatThrownBy(() -> engaging.engage(ACCOUNT, "promo", "ann", Engagement.CLICKED)).isInstanceOf(Conflict.class);
        assertThat(engagements).hasValue(5);
    }

    @Test
    void a_cancel_whose_record_of_the_senders_stopping_keeps_losing_races_answers_cancelling_for_a_later_read() {
        Fixture f = new Fixture();
        f.broadcasts.schedule(ACCOUNT, "promo", at(f.clock.instant().plus(Duration.ofDays(1)), List.of(), true, Optional.empty()));
        var writes = new java.util.concurrent.atomic.AtomicInteger();
        BroadcastStore markOnly = (BroadcastStore) Proxy.newProxyInstance(BroadcastStore.class.getClassLoader(),
                new Class<?>[] {BroadcastStore.class}, (proxy, m, args) -> {
                    if (m.getName().equals("replace") && writes.incrementAndGet() > 1) {
                        throw new StaleWrite("the fan-out moved on");
                    }
                    try {
                        return m.invoke(f.store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        BroadcastReport answered = new Broadcasts(markOnly, f.queue, f.clock).cancel(ACCOUNT, "promo");
        assertThat(answered.status()).isEqualTo(BroadcastStatus.CANCELLING);
        assertThat(writes).as("the mark, then five tries to record that no sender is at work").hasValue(6);
        assertThat(f.broadcasts.get(ACCOUNT, "promo").status()).as("the next read records it").isEqualTo(BroadcastStatus.CANCELLED);
    }

    @Test
    void a_schedule_refused_as_existing_though_nothing_is_there_is_a_conflict_to_retry() {
        Fixture f = new Fixture();
        BroadcastStore vanishing = (BroadcastStore) Proxy.newProxyInstance(
                BroadcastStore.class.getClassLoader(), new Class<?>[] {BroadcastStore.class}, (proxy, m, args) -> {
                    if (m.getName().equals("create")) {
                        throw new AlreadyExists("broadcast promo"); // its writer's row is gone by the time it is read
                    }
                    try {
                        return m.invoke(f.store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        assertThatThrownBy(() -> new Broadcasts(vanishing, f.queue, f.clock).schedule(ACCOUNT, "promo",
                at(f.clock.instant().plus(Duration.ofDays(1)), List.of(AudienceMember.of("ann")), false, Optional.empty())))
                .isInstanceOf(Conflict.class);
    }
}
