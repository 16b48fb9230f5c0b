package io.sequencer.engine.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.enrollment.LeaveReason;
import io.sequencer.domain.enrollment.Origin;
import io.sequencer.domain.enrollment.StepOutcome;
import io.sequencer.domain.enrollment.StepRecord;
import io.sequencer.domain.report.LatencyBuckets;
import io.sequencer.domain.report.Tally;
import io.sequencer.domain.sequence.Delay;
import io.sequencer.domain.sequence.DelayUnit;
import io.sequencer.domain.sequence.Step;
import io.sequencer.domain.subscriber.Engagement;
import io.sequencer.engine.AlreadyExists;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import io.sequencer.domain.enrollment.EnrollmentStatus;
import io.sequencer.engine.enrollment.EnrollmentFilter;
import io.sequencer.engine.enrollment.EnrollmentPage;
import io.sequencer.engine.enrollment.EnrollmentStore;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link EnrollmentStore} must do; run against the in-memory store and Azure Tables alike. */
public abstract class EnrollmentStoreContract {
    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00.987654321Z");
    private static final EnrollmentKey ANN = new EnrollmentKey("acme", "welcome", "ann");
    private static final Step S1 = new Step("s1", Delay.of(0, DelayUnit.SECONDS), "{}");
    private static final Step S2 = new Step("s2", Delay.of(1, DelayUnit.DAYS), "{}");
    private EnrollmentStore store;

    protected abstract EnrollmentStore newStore();

    @BeforeEach
    void createStore() {
        store = newStore();
    }

    @Test
    void every_field_survives_the_round_trip_through_each_state() {
        Enrollment started = Enrollment.start(ANN, 1, S1, T0.plusSeconds(60), T0, "token-1",
                Optional.of(ZoneId.of("Australia/Lord_Howe")), Origin.HOST);
        store.create(started);
        assertThat(store.find(ANN)).map(Stored::value).contains(started);

        StepRecord sent = new StepRecord("s1", "dlv_1", StepOutcome.SKIPPED, T0.plusMillis(5), 2, "disabled");
        Enrollment advanced = started.advance(sent, S2, T0.plusSeconds(86400), "token-2", T0.plusMillis(6));
        store.replace(store.find(ANN).orElseThrow(), advanced);
        assertThat(store.find(ANN)).map(Stored::value).contains(advanced);

        StepRecord failed = new StepRecord("s2", "dlv_2", StepOutcome.FAILED, T0.plusSeconds(86401), 1, "HTTP 410: gone");
        Enrollment completed = advanced.complete(failed, T0.plusSeconds(86401));
        store.replace(store.find(ANN).orElseThrow(), completed);
        assertThat(store.find(ANN)).map(Stored::value).contains(completed);

        Enrollment left = Enrollment.start(ANN, 2, S1, T0, T0, "token-3", Optional.empty(), Origin.HOST).leave(LeaveReason.UNSUBSCRIBED, T0.plusSeconds(1));
        store.replace(store.find(ANN).orElseThrow(), left);
        assertThat(store.find(ANN)).map(Stored::value).contains(left);

        Enrollment triggered = Enrollment.start(ANN, 3, S1, T0, T0, "token-4", Optional.empty(),
                        Origin.HOST.next("onboarding#2:left:goal"))
                .advance(new StepRecord("s1", "dlv_3", StepOutcome.SENT, T0, 1, ""), S2, T0.plusSeconds(5), "token-5", T0)
                .engaged(r -> true, Engagement.CLICKED, T0.plusSeconds(2))
                .engagedEarly(Engagement.REPLIED, T0.plusSeconds(3));
        store.replace(store.find(ANN).orElseThrow(), triggered);
        assertThat(store.find(ANN)).map(Stored::value).contains(triggered);
        triggered = triggered.leave(LeaveReason.GOAL, T0.plusSeconds(3));
        store.replace(store.find(ANN).orElseThrow(), triggered);
        assertThat(store.find(ANN)).map(Stored::value).contains(triggered);
    }

    @Test
    void a_missing_enrollment_is_empty() {
        assertThat(store.find(new EnrollmentKey("acme", "welcome", "nobody"))).isEmpty();
    }

    @Test
    void creating_twice_is_refused() {
        store.create(Enrollment.start(ANN, 1, S1, T0, T0, "token-1", Optional.empty(), Origin.HOST));
        assertThatThrownBy(() -> store.create(Enrollment.start(ANN, 1, S1, T0, T0, "token-2", Optional.empty(), Origin.HOST)))
                .isInstanceOf(AlreadyExists.class);
    }

    @Test
    void enrollments_created_together_are_all_created_and_counted_or_none_when_one_exists() {
        List<Enrollment> many = new ArrayList<>();
        for (int i = 0; i < EnrollmentStore.MAX_CREATE_ALL; i++) {
            many.add(Enrollment.start(new EnrollmentKey("acme", "welcome", "sub-" + i), 1, S1, T0, T0, "token-" + i,
                    Optional.of(ZoneId.of("Europe/Berlin")), Origin.HOST));
        }
        store.createAll(many);
        assertThat(store.find(many.get(98).key()).orElseThrow().value()).isEqualTo(many.get(98));
        Tally counted = store.tally("acme", "welcome").values().stream().reduce(Tally.EMPTY, Tally::plus);
        assertThat(counted).isEqualTo(many.stream().map(e -> Tally.between(Optional.empty(), e)).reduce(Tally.EMPTY, Tally::plus));

        List<Enrollment> clashing = List.of(
                Enrollment.start(new EnrollmentKey("acme", "welcome", "new-1"), 1, S1, T0, T0, "t", Optional.empty(), Origin.HOST),
                Enrollment.start(new EnrollmentKey("acme", "welcome", "sub-7"), 1, S1, T0, T0, "t", Optional.empty(), Origin.HOST));
        assertThatThrownBy(() -> store.createAll(clashing)).isInstanceOf(AlreadyExists.class);
        assertThat(store.find(clashing.get(0).key())).as("none of a refused batch is written").isEmpty();
        assertThat(store.tally("acme", "welcome").values().stream().reduce(Tally.EMPTY, Tally::plus)).isEqualTo(counted);
    }

    @Test
    void of_two_writers_holding_the_same_etag_only_the_first_wins() {
        store.create(Enrollment.start(ANN, 1, S1, T0, T0, "token-1", Optional.empty(), Origin.HOST));
        Stored<Enrollment> read = store.find(ANN).orElseThrow();
        store.replace(read, Enrollment.start(ANN, 1, S1, T0, T0, "winner", Optional.empty(), Origin.HOST));
        assertThatThrownBy(() -> store.replace(read, Enrollment.start(ANN, 1, S1, T0, T0, "loser", Optional.empty(), Origin.HOST)))
                .isInstanceOf(StaleWrite.class);
        assertThat(store.find(ANN).orElseThrow().value().timerToken()).isEqualTo("winner");
    }

    @Test
    void keys_that_share_parts_stay_apart() {
        EnrollmentKey a = new EnrollmentKey("acme", "a.b", "c");
        EnrollmentKey b = new EnrollmentKey("acme.a", "b", "c");
        EnrollmentKey c = new EnrollmentKey("globex", "a.b", "c");
        store.create(Enrollment.start(a, 1, S1, T0, T0, "a", Optional.empty(), Origin.HOST));
        store.create(Enrollment.start(b, 1, S1, T0, T0, "b", Optional.empty(), Origin.HOST));
        store.create(Enrollment.start(c, 1, S1, T0, T0, "c", Optional.empty(), Origin.HOST));
        assertThat(store.find(a).orElseThrow().value().timerToken()).isEqualTo("a");
        assertThat(store.find(b).orElseThrow().value().timerToken()).isEqualTo("b");
        assertThat(store.find(c).orElseThrow().value().timerToken()).isEqualTo("c");
    }

    @Test
    void every_change_is_counted_once_on_the_day_it_was_written() {
        Enrollment started = Enrollment.start(ANN, 1, S1, T0, T0, "token-1", Optional.empty(), Origin.HOST);
        store.create(started);
        Enrollment advanced = started.advance(new StepRecord("s1", "dlv_1", StepOutcome.SENT, T0.plusSeconds(90), 1, ""),
                S2, T0.plusSeconds(86400), "token-2", T0.plusSeconds(90));
        store.replace(store.find(ANN).orElseThrow(), advanced);
        Enrollment clicked = advanced.engaged(r -> true, Engagement.CLICKED, T0.plusSeconds(100));
        store.replace(store.find(ANN).orElseThrow(), clicked);
        store.replace(store.find(ANN).orElseThrow(), clicked.touched(T0.plusSeconds(101)));
        Instant nextDay = T0.plusSeconds(86400);
        store.replace(store.find(ANN).orElseThrow(), clicked.complete(
                new StepRecord("s2", "dlv_2", StepOutcome.SKIPPED, nextDay, 1, "condition not met"), nextDay));

        var tally = store.tally("acme", "welcome");
        assertThat(tally.keySet()).containsExactly(LocalDate.parse("2026-03-01"), LocalDate.parse("2026-03-02"));
        assertThat(tally.get(LocalDate.parse("2026-03-01")).counts()).containsOnlyKeys(
                "enrolled", "step|s1|scheduled", "step|s1|sent", "step|s1|ms|"
                        + LatencyBuckets.bucketOf(90_000), "step|s2|scheduled",
                "step|s1|delivered", "step|s1|read", "step|s1|clicked", "step|s2|waiting");
        assertThat(tally.get(LocalDate.parse("2026-03-02")).counts()).isEqualTo(
                Map.of("step|s2|skipped|condition_not_met", 1L, "completed", 1L, "step|s2|waiting", -1L));
        assertThat(store.tally("acme", "other")).isEmpty();
    }

    @Test
    void a_write_that_loses_its_race_counts_nothing() {
        store.create(Enrollment.start(ANN, 1, S1, T0, T0, "token-1", Optional.empty(), Origin.HOST));
        Stored<Enrollment> read = store.find(ANN).orElseThrow();
        store.replace(read, read.value().leave(LeaveReason.GOAL, T0));
        assertThatThrownBy(() -> store.replace(read, read.value().leave(LeaveReason.UNSUBSCRIBED, T0)))
                .isInstanceOf(StaleWrite.class);
        assertThatThrownBy(() -> store.create(Enrollment.start(ANN, 1, S1, T0, T0, "token-2", Optional.empty(),
                Origin.HOST))).isInstanceOf(AlreadyExists.class);

        Tally total = store.tally("acme", "welcome").values().stream()
                .reduce(Tally.EMPTY, Tally::plus);
        assertThat(total.counts()).isEqualTo(Map.of("enrolled", 1L, "step|s1|scheduled", 1L, "left|goal", 1L));
    }

    @Test
    void writers_at_once_on_one_sequence_lose_no_count() throws Exception {
        int subscribers = 40;
        var pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < subscribers; i++) {
                EnrollmentKey key = new EnrollmentKey("acme", "welcome", "s" + i);
                done.add(pool.submit(() -> {
                    Enrollment started = Enrollment.start(key, 1, S1, T0, T0, "t", Optional.empty(),
                            Origin.HOST);
                    store.create(started);
                    store.replace(store.find(key).orElseThrow(), started.complete(
                            new StepRecord("s1", "d-" + key.subscriberId(), StepOutcome.SENT, T0, 1, ""), T0));
                }));
            }
            for (var future : done) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
        Tally total = store.tally("acme", "welcome").values().stream()
                .reduce(Tally.EMPTY, Tally::plus);
        assertThat(total.get("enrolled")).isEqualTo(subscribers);
        assertThat(total.get("step|s1|sent")).isEqualTo(subscribers);
        assertThat(total.get("completed")).isEqualTo(subscribers);
    }

    private Enrollment stored(String sequenceId, String subscriberId, int state) {
        EnrollmentKey key = new EnrollmentKey("acme", sequenceId, subscriberId);
        Enrollment started = Enrollment.start(key, 1, S1, T0, T0, "t-" + subscriberId, Optional.empty(), Origin.HOST);
        store.create(started);
        Enrollment now = switch (state) {
            case 0 -> started;
            case 1 -> started.advance(new StepRecord("s1", "d-" + subscriberId, StepOutcome.SENT, T0, 1, ""), S2,
                    T0.plusSeconds(86_400), "t2-" + subscriberId, T0);
            case 2 -> started.complete(new StepRecord("s1", "d-" + subscriberId, StepOutcome.SENT, T0, 1, ""), T0);
            default -> started.leave(LeaveReason.UNSUBSCRIBED, T0);
        };
        if (now != started) {
            store.replace(store.find(key).orElseThrow(), now);
        }
        return now;
    }

    private List<Enrollment> all(String sequenceId, EnrollmentFilter filter, int limit) {
        List<Enrollment> seen = new ArrayList<>();
        Optional<String> from = Optional.empty();
        for (int pages = 0; pages < 1_000; pages++) {
            EnrollmentPage page = store.page("acme", sequenceId, filter, from, limit);
            assertThat(page.enrollments()).hasSizeLessThanOrEqualTo(limit);
            seen.addAll(page.enrollments());
            if (page.next().isEmpty()) {
                return seen;
            }
            from = page.next();
        }
        throw new AssertionError("the listing never ended");
    }

    @Test
    void a_sequences_enrollments_are_listed_in_subscriber_order_in_pages_without_its_counts_or_other_sequences() {
        List<Enrollment> expected = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            expected.add(stored("welcome", String.format("s%03d", i), i % 4));
        }
        stored("welcome2", "s000", 0);
        store.create(Enrollment.start(new EnrollmentKey("globex", "welcome", "s001"), 1, S1, T0, T0, "t",
                Optional.empty(), Origin.HOST));

        assertThat(all("welcome", EnrollmentFilter.ALL, 5)).containsExactlyElementsOf(expected);
        assertThat(all("welcome", EnrollmentFilter.ALL, 1000)).containsExactlyElementsOf(expected);
        assertThat(store.page("acme", "nothing", EnrollmentFilter.ALL, Optional.empty(), 10))
                .isEqualTo(new EnrollmentPage(List.of(), Optional.empty()));
        EnrollmentPage first = store.page("acme", "welcome", EnrollmentFilter.ALL, Optional.empty(), 10);
        EnrollmentPage second = store.page("acme", "welcome", EnrollmentFilter.ALL, first.next(), 3);
        assertThat(second.enrollments()).extracting(e -> e.key().subscriberId()).containsExactly("s010", "s011", "s012");
        assertThat(store.page("acme", "welcome", EnrollmentFilter.ALL, first.next(), 3)).isEqualTo(second);
    }

    @Test
    void a_listing_filters_by_status_and_by_the_step_waited_for() {
        for (int i = 0; i < 16; i++) {
            stored("welcome", String.format("s%03d", i), i % 4);
        }
        assertThat(all("welcome", new EnrollmentFilter(Set.of(EnrollmentStatus.ACTIVE), Optional.empty()), 3))
                .extracting(e -> e.key().subscriberId()).containsExactly("s000", "s001", "s004", "s005", "s008",
                        "s009", "s012", "s013");
        assertThat(all("welcome", new EnrollmentFilter(Set.of(EnrollmentStatus.COMPLETED, EnrollmentStatus.LEFT),
                Optional.empty()), 2)).extracting(e -> e.key().subscriberId())
                .containsExactly("s002", "s003", "s006", "s007", "s010", "s011", "s014", "s015");
        assertThat(all("welcome", new EnrollmentFilter(Set.of(), Optional.of("s2")), 2))
                .extracting(e -> e.key().subscriberId()).containsExactly("s001", "s005", "s009", "s013");
        assertThat(all("welcome", new EnrollmentFilter(Set.of(EnrollmentStatus.LEFT), Optional.of("s2")), 2)).isEmpty();
    }

    @Test
    void a_deleted_enrollment_is_gone_its_counts_stay_and_deleting_it_again_changes_nothing() {
        Enrollment left = stored("welcome", "ann", 3);
        Stored<Enrollment> read = store.find(ANN).orElseThrow();
        Tally before = store.tally("acme", "welcome").values().stream().reduce(Tally.EMPTY, Tally::plus);
        store.replace(read, left.touched(T0.plusSeconds(1)));
        assertThatThrownBy(() -> store.delete(read)).isInstanceOf(StaleWrite.class);
        store.delete(store.find(ANN).orElseThrow());
        assertThat(store.find(ANN)).isEmpty();
        store.delete(read);
        assertThat(store.find(ANN)).isEmpty();
        assertThat(store.tally("acme", "welcome").values().stream().reduce(Tally.EMPTY, Tally::plus)).isEqualTo(before);
        assertThat(all("welcome", EnrollmentFilter.ALL, 10)).isEmpty();
    }

    @Test
    void a_position_at_a_deleted_enrollment_moves_to_the_next_row_or_past_the_last_and_names_them_no_more() {
        for (int i = 0; i < 12; i++) {
            stored("welcome", String.format("s%03d", i), i % 4);
        }
        stored("welcome2", "s011", 3);
        stored("welcome2", "s012", 0);
        Optional<String> atS003 = store.page("acme", "welcome", EnrollmentFilter.ALL, Optional.empty(), 3).next();
        assertThat(store.past("acme", "welcome", atS003.orElseThrow(), "s004")).as("names another").isEmpty();
        store.delete(store.find(new EnrollmentKey("acme", "welcome", "s003")).orElseThrow());

        Optional<String> moved = store.past("acme", "welcome", atS003.orElseThrow(), "s003");

        assertThat(moved).isPresent();
        assertThat(store.past("acme", "welcome", moved.get(), "s003")).as("names them no more").isEmpty();
        EnrollmentPage fromMoved = store.page("acme", "welcome", EnrollmentFilter.ALL, moved, 3);
        assertThat(fromMoved.enrollments()).extracting(e -> e.key().subscriberId())
                .containsExactly("s004", "s005", "s006");
        assertThat(fromMoved).isEqualTo(store.page("acme", "welcome", EnrollmentFilter.ALL, atS003, 3));

        Optional<String> atLast = store.page("acme", "welcome", EnrollmentFilter.ALL, Optional.empty(), 10).next();
        store.delete(store.find(new EnrollmentKey("acme", "welcome", "s011")).orElseThrow());
        Optional<String> end = store.past("acme", "welcome", atLast.orElseThrow(), "s011");

        assertThat(end).as("past the last row, not back at the first").isPresent();
        assertThat(store.past("acme", "welcome", end.get(), "s011")).isEmpty();
        assertThat(store.page("acme", "welcome", EnrollmentFilter.ALL, end, 3))
                .as("nothing left, nothing of the next sequence")
                .isEqualTo(new EnrollmentPage(List.of(), Optional.empty()));
    }
}
