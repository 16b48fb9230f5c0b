package io.sequencer.engine.subscriber;

import static io.sequencer.engine.EngineFixture.ACCOUNT;
import static io.sequencer.engine.EngineFixture.draft;
import static io.sequencer.engine.Reacting.event;
import static io.sequencer.engine.Reacting.named;
import static io.sequencer.engine.Reacting.sequence;
import static io.sequencer.engine.Reacting.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.domain.FieldError;
import io.sequencer.domain.Invalid;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.sequence.Delay;
import io.sequencer.domain.sequence.DelayUnit;
import io.sequencer.domain.sequence.ReentryPolicy;
import io.sequencer.domain.sequence.SequenceRules;
import io.sequencer.domain.sequence.Step;
import io.sequencer.domain.sequence.StepRules;
import io.sequencer.domain.subscriber.Engagement;
import io.sequencer.domain.subscriber.EventType;
import io.sequencer.domain.subscriber.SubscriberEvent;
import io.sequencer.domain.subscriber.TimelineEntry;
import io.sequencer.domain.subscriber.TimelinePosition;
import io.sequencer.engine.EngineFixture;
import io.sequencer.engine.NotFound;
import io.sequencer.engine.event.EventLog;
import io.sequencer.engine.event.Events;
import io.sequencer.engine.send.SendResult;
import io.sequencer.testing.InMemoryEventLog;
import io.sequencer.testing.SteppingClock;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/** A subscriber's timeline: every sequence's entries and their events, newest first, paged without gaps or repeats. */
class TimelineTest {
    private final EngineFixture engine = new EngineFixture();
    private final Instant t0 = engine.clock.instant();

    private static EnrollmentKey in(String sequenceId, String subscriberId) {
        return new EnrollmentKey(ACCOUNT, sequenceId, subscriberId);
    }

    private List<TimelineEntry> all(String account, String subscriberId) {
        TimelinePage page = engine.timeline.page(account, subscriberId, Timeline.MAX_LIMIT, Optional.empty());
        assertThat(page.continuation()).as("fits one page").isEmpty();
        return page.entries();
    }

    /** Every page of {@code limit} entries, following the continuation to the end. */
    private List<TimelinePage> pages(String subscriberId, int limit) {
        List<TimelinePage> pages = new ArrayList<>();
        Optional<String> continuation = Optional.empty();
        do {
            TimelinePage page = engine.timeline.page(ACCOUNT, subscriberId, limit, continuation);
            assertThat(page.entries()).hasSizeLessThanOrEqualTo(limit);
            pages.add(page);
            continuation = page.continuation();
            assertThat(pages).as("paging ends").hasSizeLessThan(1_000);
        } while (continuation.isPresent());
        return pages;
    }

    private static String describe(TimelineEntry entry) {
        if (entry instanceof TimelineEntry.Started started) {
            return "started " + started.sequenceId();
        }
        if (entry instanceof TimelineEntry.StepDone done) {
            return done.step().outcome().wireName() + " " + done.sequenceId() + "/" + done.step().stepId();
        }
        if (entry instanceof TimelineEntry.Completed completed) {
            return "completed " + completed.sequenceId();
        }
        if (entry instanceof TimelineEntry.Left left) {
            return "left " + left.sequenceId() + " " + left.reason().wireName();
        }
        SubscriberEvent event = ((TimelineEntry.Reported) entry).event();
        return "event " + event.type().wireName() + event.eventId().map(id -> " " + id).orElse("");
    }

    @Test
    void entries_of_every_sequence_and_reported_events_come_newest_first() {
        engine.catalog.define(ACCOUNT, "welcome", sequence(step("one", 0),
                new Step("two", Delay.of(60, DelayUnit.SECONDS), "{}", false, Optional.empty(), StepRules.NONE),
                step("three", 120)));
        engine.catalog.define(ACCOUNT, "offer", sequence(new SequenceRules(ReentryPolicy.NEVER,
                List.of(named(EventType.CONVERTED, "purchase")), List.of(), false), step("pitch", 0), step("follow", 3600)));
        engine.enrollments.enroll(in("welcome", "ann"));
        engine.handleVisible();
        engine.clock.advance(Duration.ofSeconds(30));
        engine.enrollments.enroll(in("offer", "ann"));
        engine.handleVisible();
        engine.runFor(Duration.ofSeconds(30));
        engine.clock.set(t0.plusSeconds(90));
        String pitch = engine.enrollments.get(in("offer", "ann")).lastRecordOf("pitch").orElseThrow().deliveryId();
        engine.events.record(ACCOUNT, event("ann", EventType.CLICKED).delivery(pitch).id("click-1").build());
        engine.clock.set(t0.plusSeconds(100));
        engine.events.record(ACCOUNT, event("ann", EventType.CONVERTED).name("purchase").id("order-1").build());
        engine.channel.thenAnswer(new SendResult.PermanentFailure("HTTP 410: gone"));
        engine.runFor(Duration.ofHours(2));

        List<TimelineEntry> entries = all(ACCOUNT, "ann");
        assertThat(entries).extracting(TimelineTest::describe).containsExactly(
                "completed welcome",
                "failed welcome/three",
                "left offer goal",
                "event converted order-1",
                "event clicked click-1",
                "skipped welcome/two",
                "sent offer/pitch",
                "started offer",
                "sent welcome/one",
                "started welcome");
        assertThat(entries).extracting(TimelineEntry::at).containsExactly(t0.plusSeconds(180), t0.plusSeconds(180),
                t0.plusSeconds(100), t0.plusSeconds(100), t0.plusSeconds(90), t0.plusSeconds(60), t0.plusSeconds(30),
                t0.plusSeconds(30), t0, t0);
        TimelineEntry.StepDone sentPitch = (TimelineEntry.StepDone) entries.get(6);
        assertThat(sentPitch.step().deliveryId()).isEqualTo(pitch);
        assertThat(sentPitch.step().engagement()).contains(Engagement.CLICKED);
        assertThat(((TimelineEntry.StepDone) entries.get(1)).step().detail()).contains("HTTP 410");
        assertThat(((TimelineEntry.StepDone) entries.get(5)).step().detail()).isEqualTo("disabled");
    }

    @Test
    void paging_with_a_small_limit_visits_every_entry_exactly_once_though_most_share_one_instant() {
        for (String sequenceId : List.of("a", "b", "c")) {
            engine.catalog.define(ACCOUNT, sequenceId, draft(0, 0, 0));
            engine.enrollments.enroll(in(sequenceId, "ann"));
        }
        engine.handleVisible();
        List<SubscriberEvent> sameInstant = IntStream.range(0, 20)
                .mapToObj(i -> event("ann", EventType.INTERACTED).id("tap-" + i).build()).toList();
        engine.events.recordAll(ACCOUNT, sameInstant);
        engine.clock.advance(Duration.ofSeconds(1));
        engine.events.record(ACCOUNT, event("ann", EventType.INTERACTED).id("later").build());
        engine.events.record(ACCOUNT, event("ann", EventType.INTERACTED).id("earlier").at(t0.minusSeconds(5)).build());

        List<TimelineEntry> whole = all(ACCOUNT, "ann");
        // Three sequences of start, three steps and completion, and 22 events: 35 of the 37 at the first instant.
        assertThat(whole).hasSize(37);
        assertThat(whole.stream().filter(e -> e.at().equals(t0))).hasSize(35);
        assertThat(whole).extracting(TimelineEntry::position).isSorted();
        for (int limit : List.of(1, 2, 3, 5, 7, 36, 37)) {
            List<TimelinePage> pages = pages("ann", limit);
            List<TimelineEntry> visited = pages.stream().flatMap(p -> p.entries().stream()).toList();
            assertThat(visited).as("limit " + limit).containsExactlyElementsOf(whole);
            assertThat(pages.size()).as("pages at limit " + limit).isBetween((37 + limit - 1) / limit, (37 + limit - 1) / limit + 1);
        }
    }

    @Test
    void a_duplicated_event_appears_once() {
        engine.catalog.define(ACCOUNT, "welcome", draft(0));
        engine.enrollments.enroll(in("welcome", "ann"));
        engine.handleVisible();
        SubscriberEvent purchase = event("ann", EventType.CONVERTED).name("purchase").id("order-7").at(t0.plusSeconds(3)).build();
        SubscriberEvent read = event("ann", EventType.READ).watermark(t0).at(t0.plusSeconds(4)).build();
        engine.clock.advance(Duration.ofSeconds(10));
        engine.events.record(ACCOUNT, purchase);
        engine.events.recordAll(ACCOUNT, List.of(purchase, read, purchase, read));
        engine.clock.advance(Duration.ofMinutes(5));
        engine.events.record(ACCOUNT, read);
        engine.events.record(ACCOUNT, purchase);

        assertThat(all(ACCOUNT, "ann")).extracting(TimelineTest::describe)
                .containsExactly("event read", "event converted order-7", "completed welcome", "sent welcome/step-1",
                        "started welcome");
    }

    @Test
    void an_event_without_its_own_time_is_kept_at_its_reports_arrival_once_per_report() {
        engine.subscribers.add(ACCOUNT, "ann", Map.of(), Optional.empty(), Optional.empty());
        SubscriberEvent tap = event("ann", EventType.INTERACTED).id("tap").build();
        Events events = engine.builder().clock(new MovingClock(engine.clock)).build().events();
        events.recordAll(ACCOUNT, List.of(tap, tap, tap));
        assertThat(all(ACCOUNT, "ann")).as("one report, one arrival").hasSize(1);
        events.record(ACCOUNT, tap);
        assertThat(all(ACCOUNT, "ann")).as("a resend arrives later: another entry").hasSize(2);
    }

    /** A clock that moves on a millisecond at every reading, as a real one does between the events of a report. */
    private static final class MovingClock extends Clock {
        private final SteppingClock clock;

        MovingClock(SteppingClock clock) {
            this.clock = clock;
        }

        @Override
        public Instant instant() {
            clock.advance(Duration.ofMillis(1));
            return clock.instant();
        }

        @Override
        public ZoneId getZone() {
            return clock.getZone();
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @Test
    void another_accounts_subscriber_with_the_same_id_never_shows() {
        engine.catalog.define(ACCOUNT, "welcome", draft(0, 60));
        engine.catalog.define("other", "theirs", draft(0, 60));
        engine.enrollments.enroll(in("welcome", "ann"));
        engine.enrollments.enroll(new EnrollmentKey("other", "theirs", "ann"));
        engine.runFor(Duration.ofMinutes(5));
        engine.events.record(ACCOUNT, event("ann", EventType.CONVERTED).name("ours").build());
        engine.events.record("other", event("ann", EventType.CONVERTED).name("theirs").build());
        engine.events.record("other", event("ann", EventType.INTERACTED).id("their-tap").build());

        List<TimelineEntry> ours = all(ACCOUNT, "ann");
        assertThat(ours).hasSize(5);
        assertThat(ours).extracting(TimelineTest::describe).noneMatch(d -> d.contains("theirs") || d.contains("their-tap"));
        assertThat(ours).filteredOn(e -> e instanceof TimelineEntry.Reported)
                .extracting(e -> ((TimelineEntry.Reported) e).event().name().orElseThrow()).containsExactly("ours");
        List<TimelineEntry> theirs = all("other", "ann");
        assertThat(theirs).hasSize(6);
        assertThat(theirs).extracting(TimelineTest::describe).noneMatch(d -> d.contains("welcome"));
        assertThatThrownBy(() -> engine.timeline.page("third", "ann", 10, Optional.empty())).isInstanceOf(NotFound.class);
    }

    @Test
    void a_token_it_did_not_issue_is_invalid_naming_continuation() {
        engine.subscribers.add(ACCOUNT, "ann", Map.of(), Optional.empty(), Optional.empty());
        String issued = new TimelinePosition(t0, "e.00ff").token();
        assertThat(engine.timeline.page(ACCOUNT, "ann", 10, Optional.of(issued)).entries()).isEmpty();
        assertThat(encoded("1\n" + t0 + "\ne.00ff")).as("the bad tokens below are made as real ones are").isEqualTo(issued);
        String unchecked = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("1\n2026-03-01T09:00:00Z\ne.00ff".getBytes(StandardCharsets.UTF_8));
        for (String bad : List.of("", "not a token", "%%%", issued.substring(1), issued + "x", issued + "xy",
                issued.substring(0, issued.length() - 2), unchecked, encoded("1\nyesterday\ne.00"),
                encoded("2\n2026-03-01T09:00:00Z\ne.00"), encoded("1\n2026-03-01T09:00:00Z\ne.a/b"),
                encoded("1\n2026-03-01T09:00:00Z"), encoded("1\n2026-03-01T09:00:00Z\ne.00\nmore"))) {
            assertThatThrownBy(() -> engine.timeline.page(ACCOUNT, "ann", 10, Optional.of(bad))).as(bad)
                    .isInstanceOfSatisfying(Invalid.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                            .containsExactly("continuation"));
        }
        for (int limit : List.of(0, -1, Timeline.MAX_LIMIT + 1)) {
            assertThatThrownBy(() -> engine.timeline.page(ACCOUNT, "ann", limit, Optional.empty()))
                    .isInstanceOfSatisfying(Invalid.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                            .containsExactly("limit"));
        }
        assertThatThrownBy(() -> engine.timeline.page(ACCOUNT, "ann", 0, Optional.of("bad")))
                .isInstanceOfSatisfying(Invalid.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactly("limit", "continuation"));
        assertThatThrownBy(() -> engine.timeline.page(ACCOUNT, "nobody", 10, Optional.empty())).isInstanceOf(NotFound.class);
    }

    /** A token as {@link TimelinePosition#token} makes them, checksum included, from any text. */
    private static String encoded(String plain) {
        CRC32 crc = new java.util.zip.CRC32();
        crc.update(plain.getBytes(StandardCharsets.UTF_8));
        String text = plain + "\n" + Long.toHexString(crc.getValue());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void a_page_reads_at_most_limit_event_rows() {
        engine.subscribers.add(ACCOUNT, "ann", Map.of(), Optional.empty(), Optional.empty());
        engine.events.recordAll(ACCOUNT, IntStream.range(0, 30)
                .mapToObj(i -> event("ann", EventType.INTERACTED).id("tap-" + i).at(t0.minusSeconds(i % 7)).build()).toList());
        List<Integer> rowsRead = new ArrayList<>();
        EventLog counting = new EventLog() {
            @Override
            public void append(String account, String subscriberId, List<TimelineEntry.Reported> events) {
                engine.eventLog.append(account, subscriberId, events);
            }

            @Override
            public int erase(String account, String subscriberId) {
                return engine.eventLog.erase(account, subscriberId);
            }

            @Override
            public List<TimelineEntry.Reported> read(String account, String subscriberId, Optional<TimelinePosition> after,
                                                     int limit) {
                assertThat(limit).isEqualTo(4);
                List<TimelineEntry.Reported> rows = engine.eventLog.read(account, subscriberId, after, limit);
                rowsRead.add(rows.size());
                return rows;
            }
        };
        Timeline timeline = engine.builder().eventLog(counting).build().timeline();
        Set<TimelinePosition> seen = new HashSet<>();
        Optional<String> continuation = Optional.empty();
        do {
            TimelinePage page = timeline.page(ACCOUNT, "ann", 4, continuation);
            page.entries().forEach(e -> assertThat(seen.add(e.position())).as("seen once").isTrue());
            continuation = page.continuation();
        } while (continuation.isPresent());
        assertThat(seen).hasSize(30);
        assertThat(rowsRead).hasSize(8).allMatch(rows -> rows <= 4);
    }

    @Test
    void events_whose_log_write_failed_are_reported_failed_and_logged_once_when_resent() {
        engine.catalog.define(ACCOUNT, "welcome", draft(0, 3600));
        engine.enrollments.enroll(in("welcome", "ann"));
        engine.handleVisible();
        InMemoryEventLog stored = new InMemoryEventLog();
        AtomicBoolean down = new AtomicBoolean(true);
        EventLog flaky = new EventLog() {
            @Override
            public void append(String account, String subscriberId, List<TimelineEntry.Reported> events) {
                if (down.get()) {
                    throw new IllegalStateException("table unavailable");
                }
                stored.append(account, subscriberId, events);
            }

            @Override
            public int erase(String account, String subscriberId) {
                return stored.erase(account, subscriberId);
            }

            @Override
            public List<TimelineEntry.Reported> read(String account, String subscriberId, Optional<TimelinePosition> after,
                                                     int limit) {
                return stored.read(account, subscriberId, after, limit);
            }
        };
        Events events = engine.builder().eventLog(flaky).build().events();
        engine.clock.advance(Duration.ofSeconds(10));
        List<SubscriberEvent> report = List.of(
                event("ann", EventType.CLICKED).step("welcome", "step-1").id("click").build(),
                event("ann", EventType.CONVERTED).name("purchase").id("order").at(t0.plusSeconds(5)).build());

        List<Events.Recorded> first = events.recordAll(ACCOUNT, report);
        assertThat(first).allSatisfy(r -> assertThat(r).isInstanceOf(Events.Recorded.Failed.class));
        assertThat(engine.enrollments.get(in("welcome", "ann")).lastRecordOf("step-1").orElseThrow().engagement())
                .as("applied before the log refused").contains(Engagement.CLICKED);
        down.set(false);
        List<Events.Recorded> resent = events.recordAll(ACCOUNT, report);
        assertThat(resent).allSatisfy(r -> assertThat(r).isInstanceOf(Events.Recorded.Done.class));
        assertThat(((Events.Recorded.Done) resent.get(0)).result().applied()).as("nothing new to apply").isFalse();
        assertThat(engine.builder().eventLog(flaky).build().timeline()
                .page(ACCOUNT, "ann", 50, Optional.empty()).entries()).extracting(TimelineTest::describe)
                .containsExactly("event clicked click", "event converted order", "sent welcome/step-1", "started welcome");
    }
}
