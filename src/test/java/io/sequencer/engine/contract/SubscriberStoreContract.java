package io.sequencer.engine.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.domain.subscriber.Subscriber;
import io.sequencer.engine.AlreadyExists;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import io.sequencer.engine.subscriber.SubscriberStore;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link SubscriberStore} must do; run against the in-memory store and Azure Tables alike. */
public abstract class SubscriberStoreContract {
    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00.123456789Z");
    private SubscriberStore store;

    protected abstract SubscriberStore newStore();

    @BeforeEach
    void createStore() {
        store = newStore();
    }

    @Test
    void subscribers_created_together_are_all_created_or_none_when_one_exists() {
        Subscriber ann = Subscriber.create("acme", "ann", T0)
                .updated(Map.of("plan", Optional.of(new AttributeValue.Text("gold"))), Optional.empty(), T0);
        Subscriber bob = Subscriber.create("acme", "bob", T0);
        assertThat(store.createAll("acme", List.of(ann, bob))).isTrue();
        assertThat(store.find("acme", "ann")).map(Stored::value).contains(ann);
        assertThat(store.find("acme", "bob")).map(Stored::value).contains(bob);

        Subscriber cat = Subscriber.create("acme", "cat", T0);
        Subscriber bobAgain = Subscriber.create("acme", "bob", T0.plusSeconds(5));
        assertThat(store.createAll("acme", List.of(cat, bobAgain))).as("bob exists").isFalse();
        assertThat(store.find("acme", "cat")).as("nothing of a refused batch is written").isEmpty();
        assertThat(store.find("acme", "bob")).map(Stored::value).contains(bob);
    }

    @Test
    void every_field_and_attribute_type_survives_the_round_trip() {
        Subscriber ann = Subscriber.create("acme", "ann", T0);
        store.create(ann);
        assertThat(store.find("acme", "ann")).map(Stored::value).contains(ann);

        Map<String, Optional<AttributeValue>> changes = new LinkedHashMap<>();
        changes.put("first_name", Optional.of(new AttributeValue.Text("Ann ✓ \"quoted\"")));
        changes.put("age", Optional.of(new AttributeValue.Number(new BigDecimal("41.50"))));
        changes.put("vip", Optional.of(new AttributeValue.Flag(true)));
        changes.put("tags", Optional.of(new AttributeValue.TextList(List.of("a", "b c"))));
        changes.put("subscribed_at", Optional.of(new AttributeValue.Text("2026-02-01")));
        Subscriber profiled = ann.updated(changes, Optional.of(ZoneId.of("Pacific/Auckland")), T0.plusSeconds(1))
                .enrolledIn("welcome", T0.plusSeconds(1)).enrolledIn("nurture", T0.plusSeconds(2))
                .optingOut(T0.plusSeconds(3));
        store.replace(profiled, store.find("acme", "ann").orElseThrow().etag());
        assertThat(store.find("acme", "ann")).map(Stored::value).contains(profiled);
    }

    @Test
    void writes_are_conditional_and_accounts_are_apart() {
        store.create(Subscriber.create("acme", "ann", T0));
        assertThatThrownBy(() -> store.create(Subscriber.create("acme", "ann", T0))).isInstanceOf(AlreadyExists.class);
        String etag = store.find("acme", "ann").orElseThrow().etag();
        store.replace(Subscriber.create("acme", "ann", T0).enrolledIn("a", T0), etag);
        assertThatThrownBy(() -> store.replace(Subscriber.create("acme", "ann", T0), etag)).isInstanceOf(StaleWrite.class);
        assertThat(store.find("other", "ann")).isEmpty();
        store.create(Subscriber.create("other", "ann", T0));
        assertThat(store.find("other", "ann").orElseThrow().value().sequences()).isEmpty();
        assertThat(store.find("acme", "ann").orElseThrow().value().sequences()).containsExactly("a");
    }

    @Test
    void pages_list_an_accounts_subscribers_in_id_order_and_no_other_accounts() {
        for (String id : List.of("cy", "al", "bo", "dee", "ed")) {
            store.create(Subscriber.create("acme", id, T0));
        }
        store.create(Subscriber.create("acme2", "zz", T0));
        store.create(Subscriber.create("acm", "aa", T0));
        assertThat(store.page("acme", Optional.empty(), 2)).extracting(Subscriber::id).containsExactly("al", "bo");
        assertThat(store.page("acme", Optional.of("bo"), 2)).extracting(Subscriber::id).containsExactly("cy", "dee");
        assertThat(store.page("acme", Optional.of("dee"), 2)).extracting(Subscriber::id).containsExactly("ed");
        assertThat(store.page("acme", Optional.of("ed"), 2)).isEmpty();
        assertThat(store.page("acme", Optional.empty(), 10)).hasSize(5);
        assertThat(store.page("nobody", Optional.empty(), 10)).isEmpty();
    }

    @Test
    void a_profile_is_deleted_only_as_it_was_read_and_deleting_it_again_changes_nothing() {
        store.create(Subscriber.create("acme", "ann", T0));
        store.create(Subscriber.create("other", "ann", T0));
        String etag = store.find("acme", "ann").orElseThrow().etag();
        store.replace(Subscriber.create("acme", "ann", T0).enrolledIn("a", T0), etag);
        assertThatThrownBy(() -> store.delete("acme", "ann", etag)).isInstanceOf(StaleWrite.class);
        store.delete("acme", "ann", store.find("acme", "ann").orElseThrow().etag());
        assertThat(store.find("acme", "ann")).isEmpty();
        assertThat(store.find("other", "ann")).isPresent();
        store.delete("acme", "ann", etag);
        assertThat(store.find("acme", "ann")).isEmpty();
    }
}
