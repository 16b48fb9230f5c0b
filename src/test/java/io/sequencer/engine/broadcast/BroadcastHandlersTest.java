package io.sequencer.engine.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.channel.ChannelTypes;
import io.sequencer.channel.messenger.MessengerConfig;
import io.sequencer.domain.broadcast.AudienceMember;
import io.sequencer.domain.broadcast.BroadcastTime;
import io.sequencer.domain.broadcast.FanOutPage;
import io.sequencer.domain.broadcast.Recipient;
import io.sequencer.domain.broadcast.SendChunk;
import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.domain.timer.RetryBackoff;
import io.sequencer.engine.Conflict;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.broadcast.BroadcastFanOut;
import io.sequencer.engine.broadcast.BroadcastRequest;
import io.sequencer.engine.broadcast.BroadcastSender;
import io.sequencer.engine.broadcast.BroadcastStore;
import io.sequencer.engine.broadcast.BroadcastsTest;
import io.sequencer.engine.send.Channel;
import io.sequencer.engine.send.SendGate;
import io.sequencer.engine.send.SendResult;
import io.sequencer.testing.Budgets;
import io.sequencer.testing.InMemoryBroadcastQueue;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What the fan-out and send handlers answer for each message, which the queue functions log and act on. */
class BroadcastHandlersTest {
    private static final String ACCOUNT = BroadcastsTest.ACCOUNT;

    private final BroadcastsTest.Fixture f = new BroadcastsTest.Fixture();

    private void scheduleForEveryone(Instant sendAt) {
        f.broadcasts.schedule(ACCOUNT, "promo", BroadcastsTest.at(sendAt, List.of(), true, Optional.empty()));
    }

    private static FanOutPage page(int page, int waits) {
        return new FanOutPage(ACCOUNT, "promo", page, waits);
    }

    private long queuedAt(Object message, Instant at) {
        return f.queue.pending().stream().filter(m -> m.body().equals(message) && m.visibleAt().equals(at)).count();
    }

    /** Runs the fan-out due now and hands back the first send message it queued. */
    private SendChunk fannedOut() {
        assertThat(f.fanOut.handle(page(0, 0))).isInstanceOf(BroadcastFanOut.Outcome.Done.class);
        return f.queue.pending().stream().map(InMemoryBroadcastQueue.Message::body)
                .filter(SendChunk.class::isInstance).map(SendChunk.class::cast).findFirst().orElseThrow();
    }

    /** The fixture's store, with {@code before} run ahead of the first write of the broadcast row. */
    private BroadcastStore racedOnce(Runnable before) {
        AtomicInteger writes = new AtomicInteger();
        return (BroadcastStore) Proxy.newProxyInstance(BroadcastStore.class.getClassLoader(),
                new Class<?>[] {BroadcastStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("replace") && writes.getAndIncrement() == 0) {
                        before.run();
                    }
                    try {
                        return method.invoke(f.store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** The fixture's store, where every write of the broadcast row loses a race; counts them. */
    private BroadcastStore alwaysRaced(AtomicInteger writes) {
        return (BroadcastStore) Proxy.newProxyInstance(BroadcastStore.class.getClassLoader(),
                new Class<?>[] {BroadcastStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("replace")) {
                        writes.incrementAndGet();
                        throw new StaleWrite("another writer was first");
                    }
                    try {
                        return method.invoke(f.store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private BroadcastFanOut fanOutOver(BroadcastStore store) {
        return new BroadcastFanOut(store, f.subscriberStore, f.subscribers, f.queue, f.clock);
    }

    @Test
    void a_page_runs_once_says_what_it_found_and_a_repeat_of_it_is_dropped() {
        List.of("ann", "bob", "cid").forEach(id -> f.subscriber(id, Optional.empty(), Map.of()));
        scheduleForEveryone(f.clock.instant());
        assertThat(f.fanOut.handle(page(0, 0))).isEqualTo(new BroadcastFanOut.Outcome.Done(0, 3, 3, true));
        assertThat(f.fanOut.handle(page(0, 0))).isEqualTo(new BroadcastFanOut.Outcome.Dropped("page 0 was fanned out already"));
    }

    @Test
    void a_page_that_runs_before_its_fan_out_time_comes_back_then() {
        Instant sendAt = f.clock.instant().plus(Duration.ofHours(3));
        scheduleForEveryone(sendAt);
        Instant fanOutAt = f.store.find(ACCOUNT, "promo").orElseThrow().value().fanOutAt();
        assertThat(f.fanOut.handle(page(0, 0))).isEqualTo(new BroadcastFanOut.Outcome.Later("fans out from " + fanOutAt, fanOutAt));
        assertThat(queuedAt(page(0, 0), fanOutAt)).as("the one scheduling queued, and this one").isEqualTo(2);
    }

    @Test
    void a_page_of_a_cancelled_broadcast_is_dropped() {
        scheduleForEveryone(f.clock.instant().plus(Duration.ofHours(3)));
        f.broadcasts.cancel(ACCOUNT, "promo");
        assertThat(f.fanOut.handle(page(0, 0))).isEqualTo(new BroadcastFanOut.Outcome.Dropped("cancelled"));
    }

    @Test
    void a_page_queued_before_the_previous_one_committed_waits_for_it_longer_each_time_then_gives_up() {
        scheduleForEveryone(f.clock.instant());
        Instant now = f.clock.instant();
        BroadcastFanOut.Outcome waiting = f.fanOut.handle(page(1, 3));
        assertThat(waiting).isEqualTo(new BroadcastFanOut.Outcome.Later("waiting for page 0 to commit", now.plusSeconds(8)));
        assertThat(queuedAt(page(1, 4), now.plusSeconds(8))).isEqualTo(1);
        assertThat(f.fanOut.handle(page(1, FanOutPage.MAX_WAITS))).isInstanceOf(BroadcastFanOut.Outcome.Dropped.class);
    }

    @Test
    void listed_subscribers_without_a_zone_get_a_local_time_broadcast_at_the_zone_of_their_profile() {
        f.subscriber("ann", Optional.of("Asia/Tokyo"), Map.of());
        f.subscriber("bob", Optional.of("Pacific/Honolulu"), Map.of());
        LocalDateTime tenOClock = LocalDateTime.parse("2026-12-05T10:00:00");
        List<AudienceMember> listed = List.of(
                new AudienceMember("ann", Optional.empty(), Map.of("plan", Optional.of(new AttributeValue.Text("gold")))),
                new AudienceMember("bob", Optional.empty(), Map.of()));
        f.broadcasts.schedule(ACCOUNT, "promo", new BroadcastRequest(new BroadcastTime.Local(tenOClock, ZoneId.of("Europe/Berlin")),
                BroadcastsTest.WEBHOOK, "{}", Optional.empty(), listed, false, Optional.empty()));
        f.clock.set(f.store.find(ACCOUNT, "promo").orElseThrow().value().fanOutAt());
        f.fanOut.handle(page(0, 0));
        assertThat(f.store.recipient(ACCOUNT, "promo", "ann").orElseThrow().value().dueAt())
                .isEqualTo(tenOClock.atZone(ZoneId.of("Asia/Tokyo")).toInstant());
        assertThat(f.store.recipient(ACCOUNT, "promo", "bob").orElseThrow().value().dueAt())
                .isEqualTo(tenOClock.atZone(ZoneId.of("Pacific/Honolulu")).toInstant());
    }

    @Test
    void a_page_whose_broadcast_was_cancelled_while_it_ran_is_dropped_at_its_commit() {
        f.subscriber("ann", Optional.empty(), Map.of());
        scheduleForEveryone(f.clock.instant());
        BroadcastFanOut racing = fanOutOver(racedOnce(() -> f.broadcasts.cancel(ACCOUNT, "promo")));
        assertThat(racing.handle(page(0, 0)))
                .isEqualTo(new BroadcastFanOut.Outcome.Dropped("cancelled while fanning out page 0"));
    }

    @Test
    void a_page_whose_other_copy_committed_first_is_dropped_at_its_commit() {
        f.subscriber("ann", Optional.empty(), Map.of());
        scheduleForEveryone(f.clock.instant());
        BroadcastFanOut racing = fanOutOver(racedOnce(() -> f.fanOut.handle(page(0, 0))));
        assertThat(racing.handle(page(0, 0)))
                .isEqualTo(new BroadcastFanOut.Outcome.Dropped("another copy of page 0 committed first"));
    }

    @Test
    void a_page_whose_broadcast_changed_otherwise_while_it_ran_commits_over_the_change() {
        f.subscriber("ann", Optional.empty(), Map.of());
        scheduleForEveryone(f.clock.instant());
        BroadcastFanOut racing = fanOutOver(racedOnce(() -> f.fanOut.recordFailure(page(0, 0), "an earlier copy failed")));
        assertThat(racing.handle(page(0, 0))).isEqualTo(new BroadcastFanOut.Outcome.Done(0, 1, 1, true));
        assertThat(f.store.find(ACCOUNT, "promo").orElseThrow().value().fanOut().done()).isTrue();
    }

    @Test
    void a_fan_out_that_keeps_losing_races_gives_up_after_five_tries() {
        f.subscriber("ann", Optional.empty(), Map.of());
        scheduleForEveryone(f.clock.instant());
        AtomicInteger writes = new AtomicInteger();
        BroadcastFanOut losing = fanOutOver(alwaysRaced(writes));
        assertThatThrownBy(() -> losing.handle(page(0, 0))).isInstanceOf(Conflict.class);
        assertThat(writes).hasValue(5);
        writes.set(0);
        assertThat(losing.recordFailure(page(0, 0), "storage down")).as("not recorded").isFalse();
        assertThat(writes).hasValue(5);
    }

    @Test
    void a_send_message_says_what_came_of_each_recipient_and_its_repeat_finds_them_done() {
        List.of("ann", "bob", "cid").forEach(id -> f.subscriber(id, Optional.empty(), Map.of()));
        scheduleForEveryone(f.clock.instant());
        SendChunk chunk = fannedOut();
        f.subscribers.optOut(ACCOUNT, "cid");
        f.script.add(new SendResult.Sent("HTTP 200"));
        f.script.add(new SendResult.PermanentFailure("webhook answered HTTP 400"));
        assertThat(f.sender.handle(chunk)).isEqualTo(new BroadcastSender.Outcome(1, 1, 1, 0, 0, ""));
        assertThat(f.sender.handle(chunk)).isEqualTo(new BroadcastSender.Outcome(0, 0, 0, 0, 3, ""));
    }

    @Test
    void a_send_message_of_a_cancelled_or_unknown_broadcast_sends_nothing_and_says_why() {
        f.subscriber("ann", Optional.empty(), Map.of());
        scheduleForEveryone(f.clock.instant());
        SendChunk chunk = fannedOut();
        f.broadcasts.cancel(ACCOUNT, "promo");
        assertThat(f.sender.handle(chunk)).isEqualTo(new BroadcastSender.Outcome(0, 0, 0, 0, 0, "cancelled"));
        assertThat(f.sender.handle(new SendChunk(ACCOUNT, "nope", chunk.dueAt(), List.of("ann"))))
                .isEqualTo(new BroadcastSender.Outcome(0, 0, 0, 0, 0, "no such broadcast"));
        assertThat(f.sent).isEmpty();
    }

    @Test
    void a_send_message_delivered_before_its_time_comes_back_at_its_time() {
        Instant dueAt = f.clock.instant().plus(Duration.ofHours(1));
        SendChunk early = new SendChunk(ACCOUNT, "promo", dueAt, List.of("ann"));
        assertThat(f.sender.handle(early).note()).isEqualTo("early; back at " + dueAt);
        assertThat(queuedAt(early, dueAt)).isEqualTo(1);
    }

    @Test
    void recipients_left_when_the_lease_runs_short_are_counted_later_and_queued_again() {
        List.of("ann", "bob", "cid").forEach(id -> f.subscriber(id, Optional.empty(), Map.of()));
        scheduleForEveryone(f.clock.instant());
        SendChunk chunk = fannedOut();
        Channel slow = (config, delivery) -> {
            f.clock.advance(Duration.ofSeconds(40)); // each send takes 40 s: the third would start too late
            return new SendResult.Sent("HTTP 200");
        };
        BroadcastSender sender = new BroadcastSender(f.store, f.subscriberStore, f.queue, slow,
                new SendGate(Duration.ofMinutes(30), Budgets.of(300, 100, 1, f.clock), ChannelTypes.ALL.rules()),
                new RetryBackoff(Duration.ofSeconds(10), Duration.ofMinutes(5), 4), f.tokens, f.clock);
        assertThat(sender.handle(chunk)).isEqualTo(new BroadcastSender.Outcome(2, 0, 0, 1, 0, ""));
        assertThat(queuedAt(chunk.from(2), f.clock.instant())).isEqualTo(1);
    }

    @Test
    void a_recipient_another_sender_holds_is_counted_later_and_looked_at_when_its_claim_ends() {
        f.subscriber("ann", Optional.empty(), Map.of());
        scheduleForEveryone(f.clock.instant());
        SendChunk chunk = fannedOut();
        var stored = f.store.recipient(ACCOUNT, "promo", "ann").orElseThrow();
        Instant claimEnd = f.clock.instant().plus(BroadcastSender.LEASE);
        f.store.replaceRecipient(stored.value().claim(claimEnd), stored.etag());
        assertThat(f.sender.handle(chunk)).isEqualTo(new BroadcastSender.Outcome(0, 0, 0, 1, 0, ""));
        assertThat(queuedAt(SendChunk.one(ACCOUNT, "promo", chunk.dueAt(), "ann"), claimEnd)).isEqualTo(1);
    }

    @Test
    void a_transient_failure_is_counted_later_and_failures_are_counted_by_class() {
        List.of("ann", "bob").forEach(id -> f.subscriber(id, Optional.empty(), Map.of()));
        scheduleForEveryone(f.clock.instant());
        SendChunk chunk = fannedOut();
        f.script.add(new SendResult.TransientFailure("webhook answered HTTP 503", null));
        f.script.add(new SendResult.RecipientGone("the subscriber blocked the page"));
        assertThat(f.sender.handle(chunk)).isEqualTo(new BroadcastSender.Outcome(0, 1, 0, 1, 0, ""));
        for (int i = 0; i < 3; i++) {
            f.script.add(new SendResult.TransientFailure("webhook answered HTTP 503", null));
        }
        f.runAll();
        assertThat(f.broadcasts.get(ACCOUNT, "promo").failed()).isEqualTo(Map.of("recipient_gone", 1L, "transient", 1L));
        assertThat(f.store.recipient(ACCOUNT, "promo", "ann").orElseThrow().value().state()).isEqualTo(Recipient.State.FAILED);
    }

    private static final ChannelConfig PAGE = new MessengerConfig("1234",
            "PAGE_TOKEN", "21.0");

    /** A tagged Messenger broadcast to everyone, due now (a tag lets it go outside the 24-hour window). */
    private void scheduleOnMessenger() {
        f.broadcasts.schedule(ACCOUNT, "promo", new BroadcastRequest(new BroadcastTime.At(f.clock.instant()), PAGE,
                "{\"text\":\"Your order\"}", Optional.of("POST_PURCHASE_UPDATE"), List.of(), true, Optional.empty()));
    }

    @Test
    void a_subscriber_talking_with_a_person_from_the_page_is_tried_again_when_the_hold_ends() {
        f.subscriber("ann", Optional.empty(), Map.of());
        var stored = f.subscriberStore.find(ACCOUNT, "ann").orElseThrow();
        f.subscriberStore.replace(stored.value().withConversation(stored.value().conversation().agentActive(f.clock.instant()),
                f.clock.instant()), stored.etag());
        scheduleOnMessenger();
        SendChunk chunk = fannedOut();
        assertThat(f.sender.handle(chunk)).isEqualTo(new BroadcastSender.Outcome(0, 0, 0, 1, 0, ""));
        assertThat(f.sent).isEmpty();
        assertThat(f.queue.pending()).extracting(InMemoryBroadcastQueue.Message::body)
                .contains(SendChunk.one(ACCOUNT, "promo", chunk.dueAt(), "ann"));
        assertThat(f.store.recipient(ACCOUNT, "promo", "ann").orElseThrow().value().state()).isEqualTo(Recipient.State.PENDING);
    }

    @Test
    void a_recipient_over_the_pages_send_budget_is_tried_again_once_the_budget_allows() {
        List.of("ann", "bob").forEach(id -> f.subscriber(id, Optional.empty(), Map.of()));
        scheduleOnMessenger();
        SendChunk chunk = fannedOut();
        BroadcastSender oneASecond = new BroadcastSender(f.store, f.subscriberStore, f.queue, f.channel,
                new SendGate(Duration.ofMinutes(30), Budgets.of(1, 1, 1, f.clock), ChannelTypes.ALL.rules()),
                new RetryBackoff(Duration.ofSeconds(10), Duration.ofMinutes(5), 4), f.tokens, f.clock);
        assertThat(oneASecond.handle(chunk)).isEqualTo(new BroadcastSender.Outcome(1, 0, 0, 1, 0, ""));
        assertThat(f.sent).hasSize(1);
        f.runAll();
        assertThat(f.broadcasts.get(ACCOUNT, "promo").sent()).isEqualTo(2);
    }

    @Test
    void a_sender_whose_claim_ran_out_mid_send_leaves_the_recipient_to_the_sender_that_took_over() {
        f.subscriber("ann", Optional.empty(), Map.of());
        scheduleForEveryone(f.clock.instant());
        SendChunk chunk = fannedOut();
        Channel hanging = (config, delivery) -> {
            f.clock.advance(BroadcastSender.LEASE.plusSeconds(1)); // the claim runs out while this send hangs
            f.sender.handle(SendChunk.one(ACCOUNT, "promo", chunk.dueAt(), "ann")); // another copy takes over
            return new SendResult.Sent("HTTP 200");
        };
        BroadcastSender stuck = new BroadcastSender(f.store, f.subscriberStore, f.queue, hanging,
                new SendGate(Duration.ofMinutes(30), Budgets.of(300, 100, 1, f.clock), ChannelTypes.ALL.rules()),
                new RetryBackoff(Duration.ofSeconds(10), Duration.ofMinutes(5), 4), f.tokens, f.clock);
        assertThat(stuck.handle(chunk)).as("the outcome is the other sender's to count")
                .isEqualTo(new BroadcastSender.Outcome(0, 0, 0, 0, 0, ""));
        assertThat(f.broadcasts.get(ACCOUNT, "promo").sent()).isEqualTo(1);
    }

    private static Map<String, Optional<AttributeValue>> attributes(String prefix, int count) {
        Map<String, Optional<AttributeValue>> values = new HashMap<>();
        for (int i = 0; i < count; i++) {
            values.put(prefix + i, Optional.of(new AttributeValue.Text("v")));
        }
        return values;
    }

    @Test
    void a_listed_subscriber_whose_values_the_profile_cannot_take_still_gets_it_at_their_profiles_local_time() {
        f.subscriber("ann", Optional.of("Asia/Tokyo"), attributes("kept", 60));
        LocalDateTime tenOClock = LocalDateTime.parse("2026-12-05T10:00:00");
        List<AudienceMember> listed = List.of(new AudienceMember("ann", Optional.empty(), attributes("new", 60)));
        f.broadcasts.schedule(ACCOUNT, "promo", new BroadcastRequest(new BroadcastTime.Local(tenOClock, ZoneId.of("Europe/Berlin")),
                BroadcastsTest.WEBHOOK, "{}", Optional.empty(), listed, false, Optional.empty()));
        f.clock.set(f.store.find(ACCOUNT, "promo").orElseThrow().value().fanOutAt());
        f.fanOut.handle(page(0, 0));
        assertThat(f.store.recipient(ACCOUNT, "promo", "ann").orElseThrow().value().dueAt())
                .isEqualTo(tenOClock.atZone(ZoneId.of("Asia/Tokyo")).toInstant());
        assertThat(f.subscribers.get(ACCOUNT, "ann").attributes().get("new0")).as("over the profile's limit: not stored").isEmpty();
    }

    /** The fixture's store, where every recipient write with {@code arguments} arguments loses a race; counts them. */
    private BroadcastStore recipientWritesLost(int arguments, AtomicInteger writes) {
        return (BroadcastStore) Proxy.newProxyInstance(BroadcastStore.class.getClassLoader(),
                new Class<?>[] {BroadcastStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("replaceRecipient") && args.length == arguments) {
                        writes.incrementAndGet();
                        throw new StaleWrite("another writer was first");
                    }
                    try {
                        return method.invoke(f.store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private BroadcastSender senderOver(BroadcastStore store) {
        return new BroadcastSender(store, f.subscriberStore, f.queue, f.channel,
                new SendGate(Duration.ofMinutes(30), Budgets.of(300, 100, 1, f.clock), ChannelTypes.ALL.rules()),
                new RetryBackoff(Duration.ofSeconds(10), Duration.ofMinutes(5), 4), f.tokens, f.clock);
    }

    @Test
    void a_claim_or_an_outcome_that_keeps_losing_races_gives_up_after_five_tries() {
        f.subscriber("ann", Optional.empty(), Map.of());
        scheduleForEveryone(f.clock.instant());
        SendChunk chunk = fannedOut();
        AtomicInteger claims = new AtomicInteger();
        assertThatThrownBy(() -> senderOver(recipientWritesLost(2, claims)).handle(chunk)).isInstanceOf(Conflict.class);
        assertThat(claims).hasValue(5);
        assertThat(f.sent).isEmpty();
        AtomicInteger outcomes = new AtomicInteger();
        assertThatThrownBy(() -> senderOver(recipientWritesLost(3, outcomes)).handle(chunk)).isInstanceOf(Conflict.class);
        assertThat(outcomes).hasValue(5);
    }
}
