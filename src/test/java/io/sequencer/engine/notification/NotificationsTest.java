package io.sequencer.engine.notification;

import static io.sequencer.engine.EngineFixture.ACCOUNT;
import static io.sequencer.engine.EngineFixture.SEQUENCE;
import static io.sequencer.engine.EngineFixture.subscriber;
import static io.sequencer.engine.Reacting.event;
import static io.sequencer.engine.Reacting.named;
import static io.sequencer.engine.Reacting.onlyIf;
import static io.sequencer.engine.Reacting.previous;
import static io.sequencer.engine.Reacting.sequence;
import static io.sequencer.engine.Reacting.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.notification.Notice;
import io.sequencer.domain.notification.NoticeType;
import io.sequencer.domain.sequence.ReentryPolicy;
import io.sequencer.domain.sequence.SequenceRules;
import io.sequencer.domain.subscriber.Engagement;
import io.sequencer.domain.subscriber.EventType;
import io.sequencer.engine.EngineFixture;
import io.sequencer.engine.NotFound;
import io.sequencer.engine.Stored;
import io.sequencer.engine.enrollment.EnrollmentStore;
import io.sequencer.engine.send.SendResult;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Lifecycle notifications: every state change reported once per event id, in order, whatever fails. */
class NotificationsTest {
    private final EngineFixture engine = new EngineFixture();

    private void subscribe(String account, NoticeType... types) {
        engine.notifications.define(account, URI.create("https://host.example/notices"), Optional.empty(),
                types.length == 0 ? EnumSet.allOf(NoticeType.class) : EnumSet.of(types[0], types));
    }

    /** Runs the sequences and the notify timer (every 5 s) side by side until both are idle. */
    private void runFor(Duration limit) {
        var end = engine.clock.instant().plus(limit);
        while (true) {
            engine.handleVisible();
            engine.dispatcher.drain(Duration.ofSeconds(10));
            var nextTick = engine.queue.nextVisibleAt();
            var nextSignal = engine.noticeQueue.nextVisibleAt();
            var next = java.util.stream.Stream.of(nextTick, nextSignal).flatMap(Optional::stream).min(java.time.Instant::compareTo);
            if (next.isEmpty() || next.get().isAfter(end)) {
                return;
            }
            if (next.get().isAfter(engine.clock.instant())) {
                engine.clock.set(next.get());
            }
        }
    }

    private List<String> stream(String subscriberId) {
        return engine.noticeSender.events().stream().filter(e -> e.getKey().subscriberId().equals(subscriberId))
                .map(e -> e.getValue().type().wireName() + e.getValue().stepId().map(s -> ":" + s).orElse("")
                        + e.getValue().detail().map(d -> "(" + d + ")").orElse(""))
                .toList();
    }

    @Test
    void every_state_change_is_reported_in_order_with_increasing_sequence_numbers() {
        subscribe(ACCOUNT);
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("one", 0),
                step("two", 60, onlyIf(previous(Engagement.CLICKED))), step("three", 60)));
        engine.channel.thenAnswer(new SendResult.Sent("ok"), new SendResult.PermanentFailure("HTTP 410: gone"));
        engine.enrollments.enroll(subscriber("ann"));
        runFor(Duration.ofDays(1));
        assertThat(stream("ann")).containsExactly("enrollment.started", "step.sent:one",
                "step.skipped:two(condition not met)", "step.failed:three(HTTP 410: gone)", "enrollment.completed");
        List<Notice> notices = engine.noticeSender.events().stream().map(Map.Entry::getValue).toList();
        assertThat(notices).extracting(Notice::sequence).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(notices.get(3).errorClass()).contains("permanent");
        assertThat(notices).extracting(Notice::eventId).doesNotHaveDuplicates();
        assertThat(engine.enrollments.get(subscriber("ann")).outbox().pending()).isEmpty();
    }

    @Test
    void leaving_for_any_reason_is_reported_with_the_reason_and_numbering_goes_on_across_lives() {
        subscribe(ACCOUNT);
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(new SequenceRules(ReentryPolicy.AFTER_COMPLETION,
                List.of(named(EventType.CONVERTED, "purchase")), List.of(), false), step("one", 0), step("two", 86400)));
        engine.enrollments.enroll(subscriber("ann"));
        engine.enrollments.enroll(subscriber("bob"));
        engine.enrollments.enroll(subscriber("cat"));
        runFor(Duration.ofMinutes(1));
        engine.enrollments.leave(subscriber("ann"));
        engine.events.record(ACCOUNT, event("bob", EventType.CONVERTED).name("purchase").build());
        engine.subscribers.optOut(ACCOUNT, "cat");
        engine.enrollments.enroll(subscriber("ann"));
        runFor(Duration.ofMinutes(1));
        assertThat(stream("ann")).containsExactly("enrollment.started", "step.sent:one", "enrollment.left(unsubscribed)",
                "enrollment.started", "step.sent:one");
        assertThat(stream("bob")).endsWith("enrollment.left(goal)");
        assertThat(stream("cat")).endsWith("enrollment.left(opted_out)");
        assertThat(engine.noticeSender.events().stream().filter(e -> e.getKey().subscriberId().equals("ann"))
                .map(e -> e.getValue().sequence()).toList()).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void only_the_event_types_asked_for_are_sent_and_an_account_without_settings_pays_nothing() {
        subscribe(ACCOUNT, NoticeType.ENROLLMENT_COMPLETED, NoticeType.ENROLLMENT_LEFT);
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("one", 0), step("two", 60)));
        engine.catalog.define("quiet", SEQUENCE, sequence(step("one", 0), step("two", 60)));
        engine.enrollments.enroll(subscriber("ann"));
        engine.enrollments.enroll(new EnrollmentKey("quiet", SEQUENCE, "ann"));
        runFor(Duration.ofDays(1));
        assertThat(stream("ann")).containsExactly("enrollment.completed");
        assertThat(engine.enrollments.get(new EnrollmentKey("quiet", SEQUENCE, "ann")).outbox().lastSequence()).isZero();
        assertThat(engine.noticeQueue.size()).isZero();
    }

    @Test
    void events_of_many_enrollments_go_out_in_batches_of_at_most_one_hundred() {
        subscribe(ACCOUNT, NoticeType.STEP_SENT);
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("one", 0)));
        for (int i = 0; i < 250; i++) {
            engine.enrollments.enroll(subscriber("s" + i));
        }
        engine.handleVisible();
        engine.dispatcher.drain(Duration.ofSeconds(30));
        assertThat(engine.noticeSender.events()).hasSize(250);
        assertThat(engine.noticeSender.batches()).allSatisfy(b -> assertThat(b).hasSizeLessThanOrEqualTo(100));
        assertThat(engine.noticeSender.batches().size()).isLessThan(20);
    }

    @Test
    void a_failing_endpoint_keeps_its_events_records_the_failure_and_gets_everything_once_it_recovers() {
        subscribe(ACCOUNT);
        subscribe("other");
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("one", 0), step("two", 60)));
        engine.catalog.define("other", SEQUENCE, sequence(step("one", 0)));
        engine.enrollments.enroll(subscriber("ann"));
        engine.handleVisible();
        engine.noticeSender.thenAnswer(new SendResult.TransientFailure("notification url answered HTTP 500", null),
                new SendResult.TransientFailure("notification url answered HTTP 500", null));
        engine.dispatcher.drain(Duration.ofSeconds(10));
        var failing = engine.notifications.get(ACCOUNT);
        assertThat(failing.isFailing()).isTrue();
        assertThat(failing.lastError()).contains("notification url answered HTTP 500");
        assertThat(engine.enrollments.get(subscriber("ann")).outbox().pending()).hasSize(2);

        engine.enrollments.enroll(new EnrollmentKey("other", SEQUENCE, "zed"));
        runFor(Duration.ofDays(1));
        assertThat(stream("ann")).containsExactly("enrollment.started", "step.sent:one", "step.sent:two",
                "enrollment.completed");
        assertThat(stream("zed")).containsExactly("enrollment.started", "step.sent:one", "enrollment.completed");
        assertThat(engine.notifications.get(ACCOUNT).isFailing()).isFalse();
        assertThat(engine.notifications.get(ACCOUNT).lastDeliveredAt()).isPresent();
    }

    @Test
    void a_dispatcher_that_dies_after_posting_sends_the_same_events_again_under_the_same_ids() {
        subscribe(ACCOUNT);
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("one", 0)));
        engine.enrollments.enroll(subscriber("ann"));
        engine.handleVisible();
        EnrollmentStore diesOnWrite = new EnrollmentStore() {
            public Optional<Stored<io.sequencer.domain.enrollment.Enrollment>> find(EnrollmentKey key) {
                return engine.enrollmentStore.find(key);
            }

            public void create(io.sequencer.domain.enrollment.Enrollment enrollment) {
                throw new IllegalStateException("process died");
            }

            public void replace(Stored<io.sequencer.domain.enrollment.Enrollment> current, io.sequencer.domain.enrollment.Enrollment next) {
                throw new IllegalStateException("process died");
            }

            public java.util.SortedMap<java.time.LocalDate, io.sequencer.domain.report.Tally> tally(String a, String s) {
                return engine.enrollmentStore.tally(a, s);
            }
        };
        var dying = engine.builder()
                .stores(engine.sequenceStore, diesOnWrite, engine.subscriberStore).build().noticeDispatcher();
        assertThatThrownBy(() -> dying.drain(Duration.ofSeconds(10))).isInstanceOf(IllegalStateException.class);
        List<String> firstIds = engine.noticeSender.events().stream().map(e -> e.getValue().eventId()).toList();
        assertThat(firstIds).hasSize(3);
        runFor(Duration.ofMinutes(5));
        List<String> allIds = engine.noticeSender.events().stream().map(e -> e.getValue().eventId()).toList();
        assertThat(allIds).hasSize(6);
        assertThat(allIds.subList(3, 6)).isEqualTo(firstIds);
        assertThat(engine.enrollments.get(subscriber("ann")).outbox().pending()).isEmpty();
    }

    @Test
    void a_tick_that_dies_after_its_write_leaves_the_events_signalled() {
        subscribe(ACCOUNT);
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("one", 0)));
        engine.enrollments.enroll(subscriber("ann"));
        // The state change and its events are one write; the signal was queued before it. Whatever happens to
        // the process afterwards, the dispatcher finds the events.
        engine.handleVisible();
        assertThat(engine.enrollments.get(subscriber("ann")).outbox().pending()).hasSize(3);
        assertThat(engine.noticeQueue.size()).isGreaterThanOrEqualTo(1);
        runFor(Duration.ofMinutes(1));
        assertThat(stream("ann")).containsExactly("enrollment.started", "step.sent:one", "enrollment.completed");
    }

    @Test
    void turning_notifications_off_drops_what_still_waits() {
        subscribe(ACCOUNT);
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("one", 0)));
        engine.enrollments.enroll(subscriber("ann"));
        engine.handleVisible();
        engine.notifications.delete(ACCOUNT);
        runFor(Duration.ofMinutes(1));
        assertThat(engine.noticeSender.events()).isEmpty();
        assertThat(engine.enrollments.get(subscriber("ann")).outbox().pending()).isEmpty();
        assertThatThrownBy(() -> engine.notifications.get(ACCOUNT)).isInstanceOf(NotFound.class);
    }

    @Test
    void retry_delays_double_from_five_seconds_up_to_an_hour_or_the_servers_wish() {
        var key = subscriber("ann");
        assertThat(NoticeDispatcher.retryDelay(List.of(new NoticeQueue.Signal(key, 1, "m", "r")), null))
                .isEqualTo(Duration.ofSeconds(5));
        assertThat(NoticeDispatcher.retryDelay(List.of(new NoticeQueue.Signal(key, 4, "m", "r")), null))
                .isEqualTo(Duration.ofSeconds(40));
        assertThat(NoticeDispatcher.retryDelay(List.of(new NoticeQueue.Signal(key, 40, "m", "r")), null))
                .isEqualTo(Duration.ofHours(1));
        assertThat(NoticeDispatcher.retryDelay(List.of(new NoticeQueue.Signal(key, 1, "m", "r")), Duration.ofMinutes(2)))
                .isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void notices_group_per_subscriber_in_sequence_order() {
        subscribe(ACCOUNT);
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("one", 0), step("two", 0), step("three", 0)));
        for (String s : List.of("a", "b", "c", "d")) {
            engine.enrollments.enroll(subscriber(s));
        }
        runFor(Duration.ofMinutes(1));
        var bySubscriber = engine.noticeSender.events().stream().collect(Collectors.groupingBy(e -> e.getKey().subscriberId(),
                Collectors.mapping(e -> e.getValue().sequence(), Collectors.toList())));
        assertThat(bySubscriber).hasSize(4).allSatisfy((s, seqs) -> assertThat(seqs).isSorted().hasSize(5));
    }
}
