package io.sequencer.engine.report;

import static io.sequencer.engine.EngineFixture.ACCOUNT;
import static io.sequencer.engine.EngineFixture.SEQUENCE;
import static io.sequencer.engine.EngineFixture.subscriber;
import static io.sequencer.engine.Reacting.event;
import static io.sequencer.engine.Reacting.onlyIf;
import static io.sequencer.engine.Reacting.previousNot;
import static io.sequencer.engine.Reacting.sequence;
import static io.sequencer.engine.Reacting.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.sequencer.domain.Invalid;
import io.sequencer.domain.report.SequenceReport;
import io.sequencer.domain.subscriber.Engagement;
import io.sequencer.domain.subscriber.EventType;
import io.sequencer.engine.EngineFixture;
import io.sequencer.engine.NotFound;
import io.sequencer.engine.send.SendResult;
import io.sequencer.engine.send.SendResult.TransientFailure;
import io.sequencer.testing.InMemoryPoisonedTicks;
import io.sequencer.testing.InMemoryTimerQueue;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reports count what happened exactly once, however often the queue, the channel or the host repeats itself. */
class ReportsTest {
    private final EngineFixture engine = new EngineFixture();
    private final InMemoryPoisonedTicks poisoned = new InMemoryPoisonedTicks();
    private final Reports reports = new Reports(engine.sequenceStore, engine.enrollmentStore,
            poisoned, engine.clock);

    @Test
    void counts_stay_exact_under_duplicated_ticks_retried_sends_and_duplicated_events() {
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("offer", 0),
                step("reminder", 3600, onlyIf(previousNot(Engagement.CLICKED))), step("last", 60)));
        List<String> everyone = IntStream.range(0, 20).mapToObj(i -> "sub-" + i).toList();
        everyone.forEach(id -> engine.enrollments.enroll(subscriber(id)));
        everyone.forEach(id -> engine.enrollments.enroll(subscriber(id))); // the host repeats itself
        Duration soon = Duration.ofSeconds(1);
        engine.channel.thenAnswer(new TransientFailure("HTTP 503", soon), new TransientFailure("HTTP 503", soon),
                new TransientFailure("timeout", soon));
        duplicateEveryTick();
        engine.handleVisible();
        List<String> clickers = everyone.subList(0, 5);
        List<String> readers = everyone.subList(5, 8);
        for (int copy = 0; copy < 2; copy++) {
            for (String id : clickers) {
                engine.events.record(ACCOUNT, event(id, EventType.CLICKED).step(SEQUENCE, "offer").build());
            }
            for (String id : readers) {
                engine.events.record(ACCOUNT, event(id, EventType.READ).step(SEQUENCE, "offer").build());
            }
        }
        duplicateEveryTick();
        engine.runFor(Duration.ofDays(1));
        assertThat(engine.channel.deliveries().stream().map(d -> d.deliveryId().value()).distinct().count())
                .as("deliveries, each id counted once").isEqualTo(20 + 15 + 20);

        SequenceReport report = reports.sequence(ACCOUNT, SEQUENCE, Optional.empty(), Optional.empty());
        assertThat(report.enrollments()).isEqualTo(new SequenceReport.EnrollmentFigures(20, 0, 20, 0,
                Map.of("unsubscribed", 0L, "archived", 0L, "goal", 0L, "opted_out", 0L, "blocked", 0L)));
        SequenceReport.StepFigures offer = report.steps().get(0);
        assertThat(List.of(offer.scheduled(), offer.sent(), offer.delivered(), offer.read(), offer.clicked()))
                .containsExactly(20L, 20L, 8L, 8L, 5L);
        assertThat(offer.failedTotal()).isZero();
        assertThat(offer.readRate()).contains(0.4);
        assertThat(offer.clickRate()).contains(0.25);
        SequenceReport.StepFigures reminder = report.steps().get(1);
        assertThat(reminder.sent()).isEqualTo(15);
        assertThat(reminder.skipped()).isEqualTo(Map.of("condition_not_met", 5L));
        SequenceReport.StepFigures last = report.steps().get(2);
        assertThat(last.sent()).isEqualTo(20);
        assertThat(last.medianTimeToStep().orElseThrow().toSeconds()).isCloseTo(3660, within(3660 / 20L));
        assertThat(report.days()).hasSize(1);
        assertThat(report.days().get(0).sent()).isEqualTo(55);
    }

    @Test
    void failures_skips_and_leaving_are_counted_by_class_and_reason() {
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("one", 0), step("two", 3600)));
        List.of("ann", "bob", "cat", "dan").forEach(id -> engine.enrollments.enroll(subscriber(id)));
        engine.channel.thenAnswer(new SendResult.PermanentFailure("HTTP 400: bad message"),
                new TransientFailure("HTTP 503", Duration.ofSeconds(1)));
        engine.handleVisible();
        engine.runFor(Duration.ofMinutes(30));
        engine.enrollments.leave(subscriber("cat"));
        engine.subscribers.optOut(ACCOUNT, "dan");
        engine.runFor(Duration.ofDays(1));

        SequenceReport report = reports.sequence(ACCOUNT, SEQUENCE, Optional.empty(), Optional.empty());
        assertThat(report.enrollments().enrolled()).isEqualTo(4);
        assertThat(report.enrollments().completed()).isEqualTo(2);
        assertThat(report.enrollments().left()).containsEntry("unsubscribed", 1L).containsEntry("opted_out", 1L);
        assertThat(report.enrollments().active()).isZero();
        SequenceReport.StepFigures one = report.steps().get(0);
        assertThat(one.failed()).containsEntry("permanent", 1L).containsEntry("transient", 0L);
        assertThat(one.sent()).isEqualTo(3);
        assertThat(report.steps().get(1).sent()).isEqualTo(2);
    }

    @Test
    void a_range_counts_only_its_days_while_active_is_as_of_now() {
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("one", 0), step("two", 86_400), step("three", 86_400 * 5)));
        engine.enrollments.enroll(subscriber("ann"));
        engine.enrollments.enroll(subscriber("bob"));
        engine.runFor(Duration.ofDays(2));
        LocalDate first = LocalDate.parse("2026-03-01");

        SequenceReport secondDay = reports.sequence(ACCOUNT, SEQUENCE, Optional.of(first.plusDays(1)),
                Optional.of(first.plusDays(3)));
        assertThat(secondDay.enrollments().enrolled()).isZero();
        assertThat(secondDay.enrollments().active()).isEqualTo(2);
        assertThat(secondDay.steps().get(0).sent()).isZero();
        assertThat(secondDay.steps().get(1).sent()).isEqualTo(2);
        assertThat(secondDay.days()).extracting(SequenceReport.DayFigures::day)
                .containsExactly(first.plusDays(1), first.plusDays(2), first.plusDays(3));
        assertThat(secondDay.days()).extracting(SequenceReport.DayFigures::sent).containsExactly(2L, 0L, 0L);

        SequenceReport allTime = reports.sequence(ACCOUNT, SEQUENCE, Optional.empty(), Optional.empty());
        assertThat(allTime.enrollments().enrolled()).isEqualTo(2);
        assertThat(allTime.days()).extracting(SequenceReport.DayFigures::sent).containsExactly(2L, 2L);
    }

    @Test
    void a_step_removed_from_the_definition_keeps_its_figures_after_the_current_steps() {
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("old", 0), step("kept", 3600)));
        engine.enrollments.enroll(subscriber("ann"));
        engine.handleVisible();
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("new", 0), step("kept", 3600)));

        SequenceReport report = reports.sequence(ACCOUNT, SEQUENCE, Optional.empty(), Optional.empty());
        assertThat(report.steps()).extracting(SequenceReport.StepFigures::stepId).containsExactly("new", "kept", "old");
        assertThat(report.steps().get(2).position()).isEmpty();
        assertThat(report.steps().get(2).sent()).isEqualTo(1);
    }

    @Test
    void a_backwards_or_overlong_range_and_an_unknown_sequence_are_refused() {
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("one", 0)));
        LocalDate day = LocalDate.parse("2026-03-01");
        assertThatThrownBy(() -> reports.sequence(ACCOUNT, SEQUENCE, Optional.of(day), Optional.of(day.minusDays(1))))
                .isInstanceOfSatisfying(Invalid.class, e -> assertThat(e.errors().get(0).field()).isEqualTo("to"));
        assertThatThrownBy(() -> reports.sequence(ACCOUNT, SEQUENCE, Optional.of(day), Optional.of(day.plusDays(400))))
                .isInstanceOf(Invalid.class);
        assertThatThrownBy(() -> reports.sequence(ACCOUNT, "nope", Optional.empty(), Optional.empty()))
                .isInstanceOf(NotFound.class);
        assertThat(reports.sequence(ACCOUNT, SEQUENCE, Optional.empty(), Optional.empty()).days()).isEmpty();
    }

    @Test
    void a_range_of_exactly_the_most_days_is_reported_and_one_day_more_is_refused() {
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("one", 0)));
        LocalDate from = LocalDate.parse("2026-01-01");
        LocalDate lastAllowed = from.plusDays(SequenceReport.MAX_DAYS - 1);
        assertThat(reports.sequence(ACCOUNT, SEQUENCE, Optional.of(from), Optional.of(lastAllowed)).days())
                .hasSize(SequenceReport.MAX_DAYS);
        assertThatThrownBy(() -> reports.sequence(ACCOUNT, SEQUENCE, Optional.of(from), Optional.of(lastAllowed.plusDays(1))))
                .isInstanceOfSatisfying(Invalid.class, e -> assertThat(e.errors().get(0).field()).isEqualTo("to"));
    }

    @ParameterizedTest
    @CsvSource({"+999999999-12-31,, from", ",+999999999-12-31, to", "2026-03-01,+999999999-12-31, to",
            "+999999999-12-31,+999999999-12-31, from", "-999999999-01-01,, from", "-999999999-01-01,2026-03-01, from",
            "+10000-01-01,, from", "0000-12-31,2026-03-01, from"})
    void a_day_outside_four_digit_years_is_refused_naming_its_field(String from, String to, String field) {
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("one", 0)));
        assertThatThrownBy(() -> reports.sequence(ACCOUNT, SEQUENCE, Optional.ofNullable(from).map(LocalDate::parse),
                Optional.ofNullable(to).map(LocalDate::parse)))
                .isInstanceOfSatisfying(Invalid.class, e -> assertThat(e.errors().get(0).field()).isEqualTo(field));
    }

    @Test
    void the_widest_days_a_report_names_are_reported() {
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("one", 0)));
        assertThat(reports.sequence(ACCOUNT, SEQUENCE, Optional.of(LocalDate.parse("9999-12-31")), Optional.of(LocalDate.parse("9999-12-31")))
                .days()).extracting(SequenceReport.DayFigures::day).containsExactly(LocalDate.parse("9999-12-31"));
        assertThat(reports.sequence(ACCOUNT, SEQUENCE, Optional.of(LocalDate.parse("0001-01-01")), Optional.empty()).days()).isEmpty();
    }

    @Test
    void poisoned_ticks_show_with_the_latest_error() {
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("one", 0)));
        engine.enrollments.enroll(subscriber("ann"));
        var tick = engine.queue.pending().get(0).tick();
        poisoned.record(tick, "IllegalStateException: storage unavailable", engine.clock.instant());
        engine.clock.advance(Duration.ofMinutes(1));
        poisoned.record(tick, "IllegalStateException: still unavailable", engine.clock.instant());

        SequenceReport report = reports.sequence(ACCOUNT, SEQUENCE, Optional.empty(), Optional.empty());
        assertThat(report.poisoned().count()).isEqualTo(1);
        assertThat(report.poisoned().lastError()).contains("IllegalStateException: still unavailable");
        assertThat(report.poisoned().lastAt()).contains(engine.clock.instant());
    }

    /** The queue delivers every pending tick twice. */
    private void duplicateEveryTick() {
        for (InMemoryTimerQueue.Message message : engine.queue.pending()) {
            engine.queue.schedule(message.tick(), message.visibleAt());
        }
    }
}
