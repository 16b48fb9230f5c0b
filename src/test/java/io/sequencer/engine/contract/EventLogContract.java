package io.sequencer.engine.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.domain.subscriber.EventType;
import io.sequencer.domain.subscriber.SubscriberEvent;
import io.sequencer.domain.subscriber.TimelineEntry;
import io.sequencer.domain.subscriber.TimelinePosition;
import io.sequencer.engine.event.EventLog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link EventLog} must do; run against the in-memory log and Azure Tables alike. */
public abstract class EventLogContract {
    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
    private EventLog log;

    protected abstract EventLog newLog();

    @BeforeEach
    void createLog() {
        log = newLog();
    }

    private static TimelineEntry.Reported clicked(String subscriberId, Instant at, String eventId) {
        return new TimelineEntry.Reported(at, new SubscriberEvent(subscriberId, EventType.CLICKED, Optional.empty(),
                Optional.of("welcome"), Optional.of("one"), Optional.empty(), Optional.of(at), Optional.of(eventId),
                Optional.empty()));
    }

    private static List<TimelineEntry.Reported> newestFirst(List<TimelineEntry.Reported> events) {
        return events.stream().sorted(Comparator.comparing(TimelineEntry.Reported::position)).toList();
    }

    @Test
    void every_field_survives_the_round_trip() {
        SubscriberEvent full = new SubscriberEvent("ann", EventType.READ, Optional.of("dlv_0181c5a2e4b34c6f9d1e2a3b4c5d6e7f"),
                Optional.of("welcome"), Optional.of("one"), Optional.of("Ünïcode / 'quoted' # ? \\ name"),
                Optional.of(T0.plusNanos(123_456_789)), Optional.of("evt-1"), Optional.of(T0.minusSeconds(5)));
        SubscriberEvent bare = new SubscriberEvent("ann", EventType.CONVERTED, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of("purchase"), Optional.empty(), Optional.empty(), Optional.empty());
        List<TimelineEntry.Reported> events = List.of(new TimelineEntry.Reported(T0.plusNanos(123_456_789), full),
                new TimelineEntry.Reported(T0.plusSeconds(1), bare));
        log.append("acme", "ann", events);
        assertThat(log.read("acme", "ann", Optional.empty(), 10)).containsExactlyElementsOf(newestFirst(events));
    }

    @Test
    void events_come_newest_first_to_the_nanosecond_and_in_tie_break_order_within_an_instant() {
        List<TimelineEntry.Reported> events = new ArrayList<>();
        for (Instant at : List.of(T0, T0.plusNanos(1), T0.minusNanos(1), T0.plusSeconds(86_400L * 3650),
                Instant.parse("1969-12-31T23:59:59.5Z"), T0.plusMillis(999))) {
            IntStream.range(0, 3).forEach(i -> events.add(clicked("ann", at, "e" + at.getNano() + "-" + i)));
        }
        log.append("acme", "ann", events);
        List<TimelineEntry.Reported> all = log.read("acme", "ann", Optional.empty(), 100);
        assertThat(all).containsExactlyElementsOf(newestFirst(events));
        assertThat(all.get(0).at()).isEqualTo(T0.plusSeconds(86_400L * 3650));
    }

    @Test
    void a_page_resumes_strictly_after_a_position_and_holds_at_most_the_limit() {
        List<TimelineEntry.Reported> events = new ArrayList<>();
        IntStream.range(0, 12).forEach(i -> events.add(clicked("ann", T0.plusSeconds(i % 4), "evt-" + i)));
        log.append("acme", "ann", events);
        List<TimelineEntry.Reported> expected = newestFirst(events);

        List<TimelineEntry.Reported> paged = new ArrayList<>();
        Optional<TimelinePosition> after = Optional.empty();
        List<TimelineEntry.Reported> page;
        do {
            page = log.read("acme", "ann", after, 5);
            assertThat(page).hasSizeLessThanOrEqualTo(5);
            paged.addAll(page);
            after = page.isEmpty() ? after : Optional.of(page.get(page.size() - 1).position());
        } while (page.size() == 5);
        assertThat(paged).containsExactlyElementsOf(expected);
    }

    @Test
    void a_position_from_elsewhere_in_the_timeline_bounds_the_events_as_the_timeline_orders_them() {
        TimelineEntry.Reported atT0 = clicked("ann", T0, "same-instant");
        TimelineEntry.Reported older = clicked("ann", T0.minusMillis(1), "older");
        TimelineEntry.Reported newer = clicked("ann", T0.plusMillis(1), "newer");
        log.append("acme", "ann", List.of(atT0, older, newer));
        // An enrollment's start at T0 ("c." tie-break) is listed before the events of that instant ("e.").
        TimelinePosition startAtT0 = new TimelinePosition(T0, "c.welcome");
        assertThat(log.read("acme", "ann", Optional.of(startAtT0), 10)).containsExactly(atT0, older);
        TimelinePosition stepAtT0 = new TimelinePosition(T0, "b.a-sequence-id-of-128-characters-" + "x".repeat(96) + ".2147483647");
        assertThat(log.read("acme", "ann", Optional.of(stepAtT0), 10)).containsExactly(atT0, older);
        assertThat(log.read("acme", "ann", Optional.of(atT0.position()), 10)).containsExactly(older);
        assertThat(log.read("acme", "ann", Optional.of(older.position()), 10)).isEmpty();
    }

    @Test
    void the_same_event_at_the_same_time_is_kept_once_and_a_repeat_fails_nothing_beside_it() {
        TimelineEntry.Reported first = clicked("ann", T0, "evt-1");
        TimelineEntry.Reported second = clicked("ann", T0.plusSeconds(1), "evt-2");
        log.append("acme", "ann", List.of(first, first, second));
        log.append("acme", "ann", List.of(second, clicked("ann", T0.plusSeconds(2), "evt-3")));
        log.append("acme", "ann", List.of(first));
        assertThat(log.read("acme", "ann", Optional.empty(), 10)).extracting(r -> r.event().eventId().orElseThrow())
                .containsExactly("evt-3", "evt-2", "evt-1");
        // The same event reported at another time is another entry: its time is part of what it says.
        log.append("acme", "ann", List.of(clicked("ann", T0.minusSeconds(1), "evt-1")));
        assertThat(log.read("acme", "ann", Optional.empty(), 10)).hasSize(4);
    }

    @Test
    void hundreds_of_events_in_one_append_are_all_kept() {
        List<TimelineEntry.Reported> events = IntStream.range(0, 250)
                .mapToObj(i -> clicked("ann", T0.plusMillis(i / 2), "evt-" + i)).toList();
        log.append("acme", "ann", events);
        List<TimelineEntry.Reported> paged = new ArrayList<>(log.read("acme", "ann", Optional.empty(), 200));
        paged.addAll(log.read("acme", "ann", Optional.of(paged.get(199).position()), 200));
        assertThat(paged).containsExactlyElementsOf(newestFirst(events));
    }

    @Test
    void subscribers_and_accounts_are_apart() {
        log.append("acme", "ann", List.of(clicked("ann", T0, "acme-ann")));
        log.append("other", "ann", List.of(clicked("ann", T0, "other-ann")));
        log.append("acme", "ann.b", List.of(clicked("ann.b", T0, "acme-ann.b")));
        assertThat(log.read("acme", "ann", Optional.empty(), 10)).extracting(r -> r.event().eventId().orElseThrow())
                .containsExactly("acme-ann");
        assertThat(log.read("other", "ann", Optional.empty(), 10)).extracting(r -> r.event().eventId().orElseThrow())
                .containsExactly("other-ann");
        assertThat(log.read("acme", "bob", Optional.empty(), 10)).isEmpty();
    }

    @Test
    void erasing_a_subscriber_deletes_every_event_of_theirs_and_no_one_elses() {
        List<TimelineEntry.Reported> many = new ArrayList<>();
        IntStream.range(0, 230).forEach(i -> many.add(clicked("ann", T0.plusSeconds(i), "evt-" + i)));
        log.append("acme", "ann", many);
        log.append("acme", "bob", List.of(clicked("bob", T0, "evt-b")));
        log.append("other", "ann", List.of(clicked("ann", T0, "evt-o")));

        assertThat(log.erase("acme", "ann")).isEqualTo(230);
        assertThat(log.read("acme", "ann", Optional.empty(), 10)).isEmpty();
        assertThat(log.erase("acme", "ann")).isZero();
        assertThat(log.read("acme", "bob", Optional.empty(), 10)).hasSize(1);
        assertThat(log.read("other", "ann", Optional.empty(), 10)).hasSize(1);
    }
}
