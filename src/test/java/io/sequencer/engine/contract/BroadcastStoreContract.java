package io.sequencer.engine.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.channel.messenger.MessengerConfig;
import io.sequencer.channel.webhook.WebhookConfig;
import io.sequencer.domain.broadcast.Audience;
import io.sequencer.domain.broadcast.AudienceMember;
import io.sequencer.domain.broadcast.Broadcast;
import io.sequencer.domain.broadcast.BroadcastTime;
import io.sequencer.domain.broadcast.FanOutCursor;
import io.sequencer.domain.broadcast.Recipient;
import io.sequencer.domain.report.Tally;
import io.sequencer.domain.sequence.Condition;
import io.sequencer.domain.subscriber.AttributeOperator;
import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.domain.subscriber.Engagement;
import io.sequencer.engine.AlreadyExists;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import io.sequencer.engine.broadcast.BroadcastStore;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link BroadcastStore} must do; run against the in-memory store and Azure Tables alike. */
public abstract class BroadcastStoreContract {
    private static final Instant T0 = Instant.parse("2026-12-01T09:00:00.123456789Z");
    private BroadcastStore store;

    protected abstract BroadcastStore newStore();

    @BeforeEach
    void createStore() {
        store = newStore();
    }

    private static Broadcast broadcast(String id, int listed) {
        Condition vip = new Condition.AttributeTest("tier", AttributeOperator.IS, new AttributeValue.Text("gold"));
        return Broadcast.schedule("acme", id, new BroadcastTime.Local(LocalDateTime.parse("2026-12-04T10:00"),
                        ZoneId.of("Europe/Berlin")),
                new MessengerConfig("1234", "PAGE_TOKEN", "21.0"), "{\"text\":\"Sale ✓\"}",
                Optional.of("POST_PURCHASE_UPDATE"), new Audience(listed, "d" + listed, true, Optional.of(vip)), T0);
    }

    private static List<AudienceMember> members(int n) {
        List<AudienceMember> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(i % 2 == 0 ? AudienceMember.of(String.format("m%04d", i))
                    : new AudienceMember(String.format("m%04d", i), Optional.of(ZoneId.of("Pacific/Auckland")),
                            Map.of("age", Optional.of(new AttributeValue.Number(new BigDecimal("41.5"))))));
        }
        return out;
    }

    @Test
    void an_accounts_broadcasts_are_listed_by_id_and_no_other_accounts() {
        store.create(broadcast("saturday", 3), members(3));
        store.create(broadcast("friday", 600), members(600));
        Broadcast neighbour = broadcast("sunday", 1);
        store.create(new Broadcast("acme-2", "sunday", neighbour.sendTime(), neighbour.channel(), neighbour.message(),
                neighbour.tag(), neighbour.audience(), T0, Optional.empty(), Optional.empty(), neighbour.fanOut()), members(1));
        assertThat(store.list("acme")).extracting(Broadcast::id).containsExactly("friday", "saturday");
        assertThat(store.list("acme").get(0)).isEqualTo(store.find("acme", "friday").orElseThrow().value());
        assertThat(store.list("acme-2")).extracting(Broadcast::id).containsExactly("sunday");
        assertThat(store.list("acm")).isEmpty();
    }

    @Test
    void a_broadcast_and_its_listed_pages_survive_the_round_trip_and_a_second_create_is_refused() {
        Broadcast b = broadcast("friday", 1_001);
        List<AudienceMember> listed = members(1_001);
        store.create(b, listed);

        assertThat(store.find("acme", "friday")).map(Stored::value).contains(b);
        assertThat(store.listedPage("acme", "friday", 0)).isEqualTo(listed.subList(0, 500));
        assertThat(store.listedPage("acme", "friday", 2)).isEqualTo(listed.subList(1_000, 1_001));
        assertThat(store.listedPage("acme", "friday", 3)).isEmpty();
        assertThat(store.find("acme", "other")).isEmpty();
        assertThat(store.find("other", "friday")).isEmpty();
        assertThatThrownBy(() -> store.create(b, listed)).isInstanceOf(AlreadyExists.class);
    }

    @Test
    void a_large_audience_condition_and_message_are_stored_whole() {
        List<Condition> tests = new ArrayList<>();
        for (int i = 0; i < Condition.MAX_MEMBERS; i++) {
            tests.add(new Condition.AttributeTest("note", AttributeOperator.CONTAINS, new AttributeValue.Text("x".repeat(990) + i)));
        }
        Condition big = new Condition.Any(List.of(new Condition.All(tests), new Condition.All(tests)));
        String message = "{\"text\":\"" + "é".repeat(100_000) + "\"}";
        Broadcast b = Broadcast.schedule("acme", "big", new BroadcastTime.At(T0), new WebhookConfig(
                URI.create("https://host.example/hook"), Optional.empty()), message, Optional.empty(),
                new Audience(0, "", false, Optional.of(big)), T0);
        store.create(b, List.of());
        assertThat(store.find("acme", "big")).map(Stored::value).contains(b);
    }

    @Test
    void replacing_needs_the_current_etag() {
        store.create(broadcast("friday", 0), List.of());
        Stored<Broadcast> stored = store.find("acme", "friday").orElseThrow();
        Broadcast moved = stored.value().withFanOut(stored.value().fanOut().next(0, true, Optional.of("zed"), T0));
        store.replace(moved, stored.etag());
        assertThat(store.find("acme", "friday")).map(Stored::value).contains(moved);
        assertThatThrownBy(() -> store.replace(moved.cancel(T0), stored.etag())).isInstanceOf(StaleWrite.class);
        Broadcast cancelled = moved.cancel(T0.plusSeconds(5));
        store.replace(cancelled, store.find("acme", "friday").orElseThrow().etag());
        assertThat(store.find("acme", "friday").orElseThrow().value().cancelledAt()).contains(T0.plusSeconds(5));
        assertThat(cancelled.fanOut().phase()).isEqualTo(FanOutCursor.Phase.ACCOUNT);
        Broadcast failed = cancelled.withFanOut(cancelled.fanOut().failed("TableServiceException: 500"));
        store.replace(failed, store.find("acme", "friday").orElseThrow().etag());
        assertThat(store.find("acme", "friday")).map(Stored::value).contains(failed);
        Broadcast stopped = failed.sendersStopped(T0.plusSeconds(9));
        store.replace(stopped, store.find("acme", "friday").orElseThrow().etag());
        assertThat(store.find("acme", "friday").orElseThrow().value().sendersStoppedAt()).contains(T0.plusSeconds(9));
    }

    @Test
    void recipients_are_added_once_and_counted_as_audience_once() {
        store.create(broadcast("friday", 0), List.of());
        List<Recipient> first = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            first.add(Recipient.pending("acme", "friday", String.format("s%04d", i), T0));
        }
        assertThat(store.addRecipients("acme", "friday", first)).isEqualTo(250);
        assertThat(store.addRecipients("acme", "friday", first)).isZero();
        List<Recipient> overlapping = new ArrayList<>(first.subList(200, 250));
        overlapping.add(Recipient.pending("acme", "friday", "s9999", T0));
        assertThat(store.addRecipients("acme", "friday", overlapping)).isEqualTo(1);

        assertThat(store.tally("acme", "friday").get(Recipient.AUDIENCE)).isEqualTo(251);
        assertThat(store.recipient("acme", "friday", "s0007")).map(Stored::value)
                .contains(Recipient.pending("acme", "friday", "s0007", T0));
        assertThat(store.recipient("acme", "friday", "nobody")).isEmpty();
        assertThat(store.tally("acme", "other")).isEqualTo(Tally.EMPTY);
    }

    @Test
    void a_recipient_is_claimed_and_settled_under_etags_with_its_counts() {
        store.create(broadcast("friday", 0), List.of());
        store.addRecipients("acme", "friday", List.of(Recipient.pending("acme", "friday", "ann", T0)));
        Stored<Recipient> pending = store.recipient("acme", "friday", "ann").orElseThrow();

        Recipient claimed = pending.value().claim(T0.plusSeconds(120));
        String etag = store.replaceRecipient(claimed, pending.etag());
        assertThatThrownBy(() -> store.replaceRecipient(claimed, pending.etag())).isInstanceOf(StaleWrite.class);

        Recipient sent = claimed.settle(Recipient.State.SENT, "200 message_id=m.1", 1, T0.plusSeconds(1));
        store.replaceRecipient(sent, etag, sent.tallyChange(Optional.of(claimed)));
        assertThatThrownBy(() -> store.replaceRecipient(sent, etag, sent.tallyChange(Optional.of(claimed))))
                .isInstanceOf(StaleWrite.class);
        Stored<Recipient> settled = store.recipient("acme", "friday", "ann").orElseThrow();
        assertThat(settled.value()).isEqualTo(sent);

        Recipient clicked = settled.value().engaged(Engagement.CLICKED);
        store.replaceRecipient(clicked, settled.etag(), clicked.tallyChange(Optional.of(settled.value())));
        assertThat(store.recipient("acme", "friday", "ann")).map(Stored::value).contains(clicked);
        Tally tally = store.tally("acme", "friday");
        assertThat(tally.get(Recipient.AUDIENCE)).isEqualTo(1);
        assertThat(tally.get(Recipient.SENT)).isEqualTo(1);
        assertThat(tally.get("clicked")).isEqualTo(1);
        assertThat(tally.get("read")).isEqualTo(1);
        assertThat(tally.get("delivered")).isEqualTo(1);
    }

    @Test
    void leases_are_listed_until_closed_and_closing_twice_is_fine() {
        store.create(broadcast("friday", 0), List.of());
        store.openLease("acme", "friday", "lease-a", T0.plusSeconds(120));
        store.openLease("acme", "friday", "lease-b", T0.plusSeconds(90));
        assertThat(store.leases("acme", "friday")).containsExactlyInAnyOrder(T0.plusSeconds(120), T0.plusSeconds(90));
        store.closeLease("acme", "friday", "lease-a");
        store.closeLease("acme", "friday", "lease-a");
        assertThat(store.leases("acme", "friday")).containsExactly(T0.plusSeconds(90));
        assertThat(store.leases("acme", "other")).isEmpty();
    }

    @Test
    void concurrent_settles_of_many_recipients_lose_no_count() throws Exception {
        store.create(broadcast("friday", 0), List.of());
        List<Recipient> all = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            all.add(Recipient.pending("acme", "friday", "s" + i, T0));
        }
        store.addRecipients("acme", "friday", all);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> running = new ArrayList<>();
        for (Recipient r : all) {
            running.add(pool.submit(() -> {
                Stored<Recipient> s = store.recipient("acme", "friday", r.subscriberId()).orElseThrow();
                Recipient done = s.value().settle(Recipient.State.SKIPPED, Recipient.OPTED_OUT, 0, T0);
                store.replaceRecipient(done, s.etag(), done.tallyChange(Optional.of(s.value())));
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        pool.shutdown();
        assertThat(store.tally("acme", "friday").get(Recipient.SKIPPED + "|" + Recipient.OPTED_OUT)).isEqualTo(60);
    }

    @Test
    void forgetting_a_subscriber_removes_their_recipient_and_listed_place_and_keeps_the_counts() {
        List<AudienceMember> listed = members(1_001);
        store.create(broadcast("friday", 1_001), listed);
        store.addRecipients("acme", "friday", List.of(Recipient.pending("acme", "friday", "m0501", T0),
                Recipient.pending("acme", "friday", "m0502", T0)));

        store.forget("acme", "friday", "m0501");
        store.forget("acme", "friday", "m0501");
        store.forget("acme", "friday", "nobody");

        List<AudienceMember> pageOne = new ArrayList<>(listed.subList(500, 1_000));
        pageOne.remove(1);
        assertThat(store.listedPage("acme", "friday", 0)).isEqualTo(listed.subList(0, 500));
        assertThat(store.listedPage("acme", "friday", 1)).isEqualTo(pageOne);
        assertThat(store.listedPage("acme", "friday", 2)).isEqualTo(listed.subList(1_000, 1_001));
        assertThat(store.recipient("acme", "friday", "m0501")).isEmpty();
        assertThat(store.recipient("acme", "friday", "m0502")).isPresent();
        assertThat(store.tally("acme", "friday").get(Recipient.AUDIENCE)).isEqualTo(2);
    }
}
