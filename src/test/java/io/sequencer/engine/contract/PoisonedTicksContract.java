package io.sequencer.engine.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.report.PoisonSummary;
import io.sequencer.domain.timer.PoisonedTick;
import io.sequencer.domain.timer.Tick;
import io.sequencer.engine.Stored;
import io.sequencer.engine.poison.PoisonedTicks;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link PoisonedTicks} must do; run against the in-memory store and Azure Table storage alike. */
public abstract class PoisonedTicksContract {
    static final Instant T0 = Instant.parse("2026-04-01T09:00:00Z");
    protected PoisonedTicks store;

    protected abstract PoisonedTicks newStore();

    @BeforeEach
    void createStore() {
        store = newStore();
    }

    static Tick tick(String sequence, String subscriber, long epoch, int cursor, String token) {
        return new Tick(new EnrollmentKey("acme", sequence, subscriber), epoch, cursor, "s" + cursor,
                T0.minusSeconds(60), token, 1, 0, 0);
    }

    static Tick tick(String subscriber) {
        return tick("welcome", subscriber, 1, 0, "token-" + subscriber);
    }

    private List<Stored<PoisonedTick>> all(String sequence) {
        return store.list("acme", sequence, Optional.empty(), 1_000).entries();
    }

    @Test
    void a_sequence_without_poisoned_ticks_has_none() {
        assertThat(store.summary("acme", "welcome")).isEqualTo(PoisonSummary.NONE);
        PoisonedTicks.Page page = store.list("acme", "welcome", Optional.empty(), 10);
        assertThat(page.entries()).isEmpty();
        assertThat(page.next()).isEmpty();
    }

    @Test
    void a_recorded_tick_is_counted_with_its_error_and_listed_whole() {
        store.record(tick("ann"), "IllegalStateException: storage said no", T0);
        assertThat(store.summary("acme", "welcome"))
                .isEqualTo(new PoisonSummary(1, Optional.of("IllegalStateException: storage said no"), Optional.of(T0)));
        assertThat(all("welcome")).extracting(Stored::value)
                .containsExactly(new PoisonedTick(tick("ann"), "IllegalStateException: storage said no", T0, 1));
    }

    @Test
    void recording_the_same_timer_again_keeps_one_entry_with_the_newest_error_and_counts_both() {
        store.record(tick("bob"), "first error", T0);
        Tick laterAttempt = tick("bob").nextAttempt();
        store.record(laterAttempt, "second error", T0.plusSeconds(30));
        assertThat(all("welcome")).extracting(Stored::value)
                .containsExactly(new PoisonedTick(laterAttempt, "second error", T0.plusSeconds(30), 2));
        assertThat(store.summary("acme", "welcome").count()).isEqualTo(1);
    }

    @Test
    void a_late_record_with_an_older_time_does_not_hide_the_newer_error() {
        store.record(tick("cy"), "newer error", T0.plusSeconds(30));
        store.record(tick("cy"), "older error", T0);
        assertThat(all("welcome")).extracting(Stored::value)
                .containsExactly(new PoisonedTick(tick("cy"), "newer error", T0.plusSeconds(30), 2));
    }

    @Test
    void recording_if_absent_keeps_a_recorded_error_and_fills_in_a_missing_one() {
        store.record(tick("dan"), "the real error", T0);
        store.recordIfAbsent(tick("dan"), "a general reason", T0.plusSeconds(60));
        store.recordIfAbsent(tick("eve"), "a general reason", T0.plusSeconds(60));
        assertThat(all("welcome")).extracting(Stored::value).containsExactlyInAnyOrder(
                new PoisonedTick(tick("dan"), "the real error", T0, 1),
                new PoisonedTick(tick("eve"), "a general reason", T0.plusSeconds(60), 1));
    }

    @Test
    void two_timers_of_one_step_are_two_entries_and_other_steps_and_epochs_are_apart_too() {
        store.record(tick("welcome", "fay", 1, 0, "committed"), "e", T0);
        store.record(tick("welcome", "fay", 1, 0, "stray"), "e", T0);
        store.record(tick("welcome", "fay", 1, 1, "committed"), "e", T0);
        store.record(tick("welcome", "fay", 2, 0, "committed"), "e", T0);
        assertThat(all("welcome")).hasSize(4);
        assertThat(store.summary("acme", "welcome").count()).isEqualTo(4);
    }

    @Test
    void entries_belong_to_their_sequence_and_the_summary_names_the_latest_error() {
        store.record(tick("welcome", "gus", 1, 0, "t1"), "older", T0);
        store.record(tick("welcome", "hal", 1, 0, "t2"), "latest", T0.plusSeconds(5));
        store.record(tick("welcome", "ida", 1, 0, "t3"), "middle", T0.plusSeconds(2));
        store.record(tick("other", "gus", 1, 0, "t4"), "another sequence's", T0.plusSeconds(9));
        assertThat(store.summary("acme", "welcome"))
                .isEqualTo(new PoisonSummary(3, Optional.of("latest"), Optional.of(T0.plusSeconds(5))));
        assertThat(store.summary("acme", "other").count()).isEqualTo(1);
        assertThat(store.summary("acme", "nothing-here")).isEqualTo(PoisonSummary.NONE);
        assertThat(all("other")).extracting(e -> e.value().tick().key().subscriberId()).containsExactly("gus");
    }

    @Test
    void pages_list_every_entry_once_and_say_when_more_follow() {
        List<String> subscribers = List.of("a1", "b2", "c3", "d4", "e5");
        subscribers.forEach(s -> store.record(tick(s), "e", T0));
        List<String> seen = new ArrayList<>();
        Optional<String> after = Optional.empty();
        int pages = 0;
        do {
            PoisonedTicks.Page page = store.list("acme", "welcome", after, 2);
            assertThat(page.entries()).hasSizeBetween(1, 2);
            page.entries().forEach(e -> seen.add(e.value().tick().key().subscriberId()));
            after = page.next();
            pages++;
        } while (after.isPresent());
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(subscribers);
    }

    @Test
    void a_page_that_holds_the_last_entry_says_no_more_follow() {
        store.record(tick("jo"), "e", T0);
        store.record(tick("kim"), "e", T0);
        assertThat(store.list("acme", "welcome", Optional.empty(), 2).next()).isEmpty();
    }

    @Test
    void removing_takes_the_entry_as_listed_and_a_repeat_is_harmless() {
        store.record(tick("lea"), "e", T0);
        Stored<PoisonedTick> listed = all("welcome").get(0);
        store.remove(listed);
        store.remove(listed);
        assertThat(all("welcome")).isEmpty();
        assertThat(store.summary("acme", "welcome")).isEqualTo(PoisonSummary.NONE);
    }

    @Test
    void an_entry_poisoned_again_after_it_was_listed_is_not_removed() {
        store.record(tick("max"), "first", T0);
        Stored<PoisonedTick> listed = all("welcome").get(0);
        store.record(tick("max"), "poisoned again", T0.plusSeconds(60));
        store.remove(listed);
        assertThat(all("welcome")).extracting(e -> e.value().error()).containsExactly("poisoned again");
    }
}
