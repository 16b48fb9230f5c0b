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

import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.notification.Notice;
import io.sequencer.domain.notification.NoticeType;
import io.sequencer.domain.sequence.ReentryPolicy;
import io.sequencer.domain.sequence.SequenceRules;
import io.sequencer.domain.subscriber.Engagement;
import io.sequencer.domain.subscriber.EventType;
import io.sequencer.engine.EngineFixture;
import io.sequencer.engine.NotFound;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import io.sequencer.engine.enrollment.EnrollmentStore;
import io.sequencer.engine.send.SendResult;
import io.sequencer.testing.ForwardingEnrollmentStore;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
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
            var next = Stream.of(nextTick, nextSignal).flatMap(Optional::stream).min(Instant::compareTo);
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
        // Numbering counts only what the account receives: a gap tells the receiver it missed an event.
        assertThat(engine.noticeSender.events().get(0).getValue().sequence()).isEqualTo(1L);
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
        EnrollmentStore diesOnWrite = new ForwardingEnrollmentStore(engine.enrollmentStore) {

            public void create(Enrollment enrollment) {
                throw new IllegalStateException("process died");
            }

            public void replace(Stored<Enrollment> current, Enrollment next) {
                throw new IllegalStateException("process died");
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
        assertThat(NoticeDispatcher.retryDelay(List.of(new NoticeQueue.Signal(key, 1, 1, "m", "r")), null))
                .isEqualTo(Duration.ofSeconds(5));
        assertThat(NoticeDispatcher.retryDelay(List.of(new NoticeQueue.Signal(key, 1, 4, "m", "r")), null))
                .isEqualTo(Duration.ofSeconds(40));
        assertThat(NoticeDispatcher.retryDelay(List.of(new NoticeQueue.Signal(key, 1, 40, "m", "r")), null))
                .isEqualTo(Duration.ofHours(1));
        assertThat(NoticeDispatcher.retryDelay(List.of(new NoticeQueue.Signal(key, 1, 1, "m", "r")), Duration.ofMinutes(2)))
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

    @Test
    void a_drain_reports_the_signals_it_took_the_events_it_delivered_and_retires_the_signals() {
        subscribe(ACCOUNT);
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("one", 0)));
        engine.enrollments.enroll(subscriber("ann"));
        engine.handleVisible();
        int signals = engine.noticeQueue.size();
        assertThat(signals).isPositive();
        var run = engine.dispatcher.drain(Duration.ofSeconds(10));
        assertThat(run).isEqualTo(new NoticeDispatcher.Run(signals, 3, 0));
        assertThat(engine.noticeQueue.size()).isZero();
    }

    @Test
    void a_failing_account_is_counted_and_its_signals_come_back_after_the_first_retry_delay() {
        subscribe(ACCOUNT);
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("one", 0)));
        engine.enrollments.enroll(subscriber("ann"));
        engine.handleVisible();
        int signals = engine.noticeQueue.size();
        engine.noticeSender.thenAnswer(new SendResult.TransientFailure("notification url answered HTTP 503", null));
        var run = engine.dispatcher.drain(Duration.ofSeconds(10));
        assertThat(run).isEqualTo(new NoticeDispatcher.Run(signals, 0, 1));
        assertThat(engine.noticeQueue.size()).isEqualTo(signals);
        assertThat(engine.noticeQueue.nextVisibleAt()).contains(engine.clock.instant().plus(NoticeDispatcher.FIRST_RETRY));
    }

    @Test
    void a_signal_finding_nothing_waiting_is_simply_done() {
        subscribe(ACCOUNT);
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("one", 0)));
        engine.enrollments.enroll(subscriber("ann"));
        runFor(Duration.ofMinutes(1));
        int posts = engine.noticeSender.calls();
        engine.noticeQueue.signal(subscriber("ann"), engine.enrollments.get(subscriber("ann")).outbox().lastSequence());
        assertThat(engine.dispatcher.drain(Duration.ofSeconds(10))).isEqualTo(new NoticeDispatcher.Run(1, 0, 0));
        assertThat(engine.noticeQueue.size()).isZero();
        assertThat(engine.noticeSender.calls()).isEqualTo(posts);
    }

    @Test
    void events_of_types_unsubscribed_before_their_delivery_are_dropped_unsent() {
        subscribe(ACCOUNT);
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("one", 0)));
        engine.enrollments.enroll(subscriber("ann"));
        engine.handleVisible();
        assertThat(engine.enrollments.get(subscriber("ann")).outbox().pending()).hasSize(3);
        subscribe(ACCOUNT, NoticeType.ENROLLMENT_COMPLETED);
        var run = engine.dispatcher.drain(Duration.ofSeconds(10));
        assertThat(stream("ann")).containsExactly("enrollment.completed");
        assertThat(run.delivered()).isEqualTo(1);
        assertThat(engine.enrollments.get(subscriber("ann")).outbox().pending()).isEmpty();
        assertThat(engine.noticeQueue.size()).isZero();
    }

    @Test
    void an_outbox_holding_only_unwanted_types_is_cleared_without_a_post() {
        subscribe(ACCOUNT);
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("one", 0)));
        engine.enrollments.enroll(subscriber("ann"));
        engine.handleVisible();
        int signals = engine.noticeQueue.size();
        subscribe(ACCOUNT, NoticeType.STEP_FAILED);
        assertThat(engine.dispatcher.drain(Duration.ofSeconds(10))).isEqualTo(new NoticeDispatcher.Run(signals, 0, 0));
        assertThat(engine.noticeSender.calls()).isZero();
        assertThat(engine.enrollments.get(subscriber("ann")).outbox().pending()).isEmpty();
        assertThat(engine.notifications.get(ACCOUNT).isFailing()).isFalse();
    }

    @Test
    void a_failure_after_a_first_batch_keeps_only_the_undelivered_events_and_sends_each_event_once() {
        subscribe(ACCOUNT);
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("one", 0), step("two", 0), step("three", 0),
                step("four", 0), step("five", 0)));
        for (int i = 0; i < 20; i++) {
            engine.enrollments.enroll(subscriber("s" + i));
        }
        engine.handleVisible();
        // 140 events: the first batch of 100 is accepted, the next one fails.
        engine.noticeSender.thenAnswer(new SendResult.Sent("HTTP 200"),
                new SendResult.TransientFailure("notification url answered HTTP 500", null));
        runFor(Duration.ofMinutes(5));
        assertThat(engine.noticeSender.calls()).isGreaterThan(2);
        assertThat(engine.noticeSender.events()).hasSize(140)
                .extracting(e -> e.getValue().eventId()).doesNotHaveDuplicates();
    }

    @Test
    void delivery_health_records_the_first_delivery_and_clears_a_failure_once_the_endpoint_recovers() {
        subscribe(ACCOUNT);
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("one", 0), step("two", 60)));
        engine.enrollments.enroll(subscriber("ann"));
        engine.dispatcher.drain(Duration.ofSeconds(10));
        var healthy = engine.notifications.get(ACCOUNT);
        assertThat(healthy.lastDeliveredAt()).contains(engine.clock.instant());
        assertThat(healthy.isFailing()).isFalse();

        engine.clock.advance(Duration.ofSeconds(1));
        engine.handleVisible();
        engine.noticeSender.thenAnswer(new SendResult.TransientFailure("notification url answered HTTP 500", null));
        engine.dispatcher.drain(Duration.ofSeconds(10));
        assertThat(engine.notifications.get(ACCOUNT).isFailing()).isTrue();

        runFor(Duration.ofMinutes(5));
        var recovered = engine.notifications.get(ACCOUNT);
        assertThat(recovered.isFailing()).isFalse();
        assertThat(recovered.lastError()).isEmpty();
        assertThat(recovered.lastDeliveredAt().get()).isAfter(healthy.lastDeliveredAt().get());
    }

    @Test
    void a_dispatcher_that_keeps_losing_the_race_for_an_outbox_stops_after_five_tries() {
        subscribe(ACCOUNT);
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("one", 0)));
        engine.enrollments.enroll(subscriber("ann"));
        engine.handleVisible();
        var writes = new java.util.concurrent.atomic.AtomicInteger();
        EnrollmentStore alwaysChanged = new ForwardingEnrollmentStore(engine.enrollmentStore) {

            public void replace(Stored<Enrollment> current, Enrollment next) {
                writes.incrementAndGet();
                throw new StaleWrite("changed meanwhile");
            }
        };
        var racing = engine.builder()
                .stores(engine.sequenceStore, alwaysChanged, engine.subscriberStore).build().noticeDispatcher();
        racing.drain(Duration.ofSeconds(10));
        assertThat(writes).hasValue(5);
    }

    @Test
    void a_subscription_changed_by_another_instance_applies_here_once_the_cached_settings_expire() {
        subscribe(ACCOUNT);
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("one", 86400)));
        engine.enrollments.enroll(subscriber("ann"));
        assertThat(engine.enrollments.get(subscriber("ann")).outbox().pending()).hasSize(1);
        engine.builder().build().notifications().define(ACCOUNT, URI.create("https://host.example/notices"),
                Optional.empty(), EnumSet.of(NoticeType.ENROLLMENT_COMPLETED));
        engine.clock.advance(LifecycleNotices.SETTINGS_TTL);
        engine.enrollments.enroll(subscriber("bob"));
        assertThat(engine.enrollments.get(subscriber("bob")).outbox().pending()).isEmpty();
    }

    @Test
    void a_subscription_changed_or_turned_off_here_applies_at_once_and_define_tells_whether_it_created() {
        URI url = URI.create("https://host.example/notices");
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("one", 86400)));
        var created = engine.notifications.define(ACCOUNT, url, Optional.empty(), EnumSet.allOf(NoticeType.class));
        assertThat(created.created()).isTrue();
        assertThat(created.settings().url()).isEqualTo(url);
        engine.enrollments.enroll(subscriber("ann"));
        assertThat(engine.enrollments.get(subscriber("ann")).outbox().pending()).hasSize(1);

        var replaced = engine.notifications.define(ACCOUNT, url, Optional.empty(), EnumSet.of(NoticeType.ENROLLMENT_LEFT));
        assertThat(replaced.created()).isFalse();
        assertThat(replaced.settings().events()).containsExactly(NoticeType.ENROLLMENT_LEFT);
        engine.enrollments.enroll(subscriber("bob"));
        assertThat(engine.enrollments.get(subscriber("bob")).outbox().pending()).isEmpty();

        engine.notifications.define(ACCOUNT, url, Optional.empty(), EnumSet.allOf(NoticeType.class));
        engine.enrollments.enroll(subscriber("cat"));
        engine.notifications.delete(ACCOUNT);
        engine.enrollments.enroll(subscriber("dan"));
        assertThat(engine.enrollments.get(subscriber("cat")).outbox().pending()).hasSize(1);
        assertThat(engine.enrollments.get(subscriber("dan")).outbox().pending()).isEmpty();
    }
}
