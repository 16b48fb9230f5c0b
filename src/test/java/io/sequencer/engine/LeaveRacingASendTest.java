package io.sequencer.engine;

import static io.sequencer.engine.EngineFixture.ACCOUNT;
import static io.sequencer.engine.EngineFixture.SEQUENCE;
import static io.sequencer.engine.EngineFixture.draft;
import static io.sequencer.engine.EngineFixture.subscriber;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentStatus;
import io.sequencer.domain.enrollment.LeaveReason;
import io.sequencer.domain.enrollment.StepOutcome;
import io.sequencer.domain.enrollment.StepRecord;
import io.sequencer.domain.notification.Notice;
import io.sequencer.domain.notification.NoticeType;
import io.sequencer.domain.report.Tally;
import io.sequencer.domain.sequence.SequenceDraft;
import io.sequencer.domain.sequence.Step;
import io.sequencer.domain.subscriber.TimelineEntry;
import io.sequencer.domain.timer.RetryBackoff;
import io.sequencer.domain.timer.Tick;
import io.sequencer.engine.enrollment.EnrollmentStore;
import io.sequencer.engine.send.Channel;
import io.sequencer.engine.send.Delivery;
import io.sequencer.engine.send.SendResult;
import io.sequencer.engine.tick.TickHandler;
import io.sequencer.engine.tick.TickOutcome;
import io.sequencer.testing.PortInterceptor;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A leave that races a step's send, in every order the two can take: whatever wins, a send that was made is on
 * the enrollment, in the timeline, in the report and in the notifications, exactly once, and nothing is sent
 * after a leave that came first.
 */
class LeaveRacingASendTest {
    private final EngineFixture engine = new EngineFixture();

    /** Where the leave commits, relative to the tick of step 1. */
    enum Order {
        /** Before the tick reads the enrollment: the tick is stale and sends nothing. */
        BEFORE_THE_READ,
        /** After the tick has read the enrollment, before it sends. */
        BETWEEN_READ_AND_SEND,
        /** After the receiver got the step, before the tick commits its record. */
        BETWEEN_SEND_AND_COMMIT,
        /** After the tick committed. */
        AFTER_THE_COMMIT
    }

    /** How the subscriber goes. */
    enum Leaving {
        UNSUBSCRIBED, OPTED_OUT
    }

    /** A tick handler whose channel lets another instance's leave run just before or just after the real send. */
    private TickHandler handlerWhere(Runnable beforeSend, Runnable afterSend) {
        Channel racing = (config, delivery) -> {
            beforeSend.run();
            SendResult result = engine.channel.send(config, delivery);
            afterSend.run();
            return result;
        };
        return engine.builder().channel(racing).backoff(RetryBackoff.DEFAULT).build().ticks();
    }

    private void leave(Leaving how) {
        if (how == Leaving.UNSUBSCRIBED) {
            engine.enrollments.leave(subscriber("ann"));
        } else {
            engine.subscribers.optOut(ACCOUNT, "ann");
        }
    }

    /** Enrolls ann into a two-step sequence with every notice wanted, and plays step 1 with the leave in {@code order}. */
    private void race(Order order, Leaving how, SendResult answer) {
        engine.notifications.define(ACCOUNT, URI.create("https://host.example/notices"), Optional.empty(),
                EnumSet.allOf(NoticeType.class));
        engine.catalog.define(ACCOUNT, SEQUENCE, draft(0, 3600));
        engine.enrollments.enroll(subscriber("ann"));
        engine.channel.thenAnswer(answer);
        Tick first = engine.queue.takeNextVisible().orElseThrow();
        if (order == Order.BEFORE_THE_READ) {
            leave(how);
        }
        TickHandler handler = handlerWhere(() -> {
            if (order == Order.BETWEEN_READ_AND_SEND) {
                leave(how);
            }
        }, () -> {
            if (order == Order.BETWEEN_SEND_AND_COMMIT) {
                leave(how);
            }
        });
        handler.handle(first);
        if (order == Order.AFTER_THE_COMMIT) {
            leave(how);
        }
        engine.runFor(Duration.ofDays(1));
    }

    private Tally counts() {
        return engine.enrollmentStore.tally(ACCOUNT, SEQUENCE).values().stream().reduce(Tally.EMPTY, Tally::plus);
    }

    private List<Notice> notices() {
        return engine.enrollmentStore.find(subscriber("ann")).orElseThrow().value().outbox().pending();
    }

    static Stream<Arguments> everyOrder() {
        return Stream.of(Order.values()).flatMap(o -> Stream.of(Leaving.values()).map(l -> Arguments.of(o, l)));
    }

    @ParameterizedTest
    @MethodSource("everyOrder")
    void a_step_the_receiver_got_is_recorded_counted_and_notified_once_whenever_the_subscriber_leaves(Order order,
                                                                                                       Leaving how) {
        race(order, how, new SendResult.Sent("ok"));
        String where = order + ", " + how;
        List<Delivery> received = engine.channel.deliveries();
        Enrollment ann = engine.enrollmentStore.find(subscriber("ann")).orElseThrow().value();
        LeaveReason reason = how == Leaving.UNSUBSCRIBED ? LeaveReason.UNSUBSCRIBED : LeaveReason.OPTED_OUT;
        assertThat(ann.status()).as(where).isEqualTo(EnrollmentStatus.LEFT);
        assertThat(ann.leaveReason()).as(where).contains(reason);
        assertThat(ann.epoch()).as(where + ": the late record leaves the epoch of the leave").isEqualTo(2);
        assertThat(received).as(where + ": step 1 at most, nothing after the leave")
                .extracting(Delivery::stepId).isSubsetOf("step-1");
        if (order == Order.BEFORE_THE_READ) {
            assertThat(received).as(where).isEmpty();
        } else {
            assertThat(received).as(where).hasSize(1);
        }
        assertThat(ann.stepsSent()).as(where + ": stepsSent").isEqualTo(received.size());
        assertThat(ann.history()).as(where + ": the record is the send's")
                .extracting(StepRecord::deliveryId)
                .containsExactlyElementsOf(received.stream().map(d -> d.deliveryId().value()).toList());
        Tally counts = counts();
        assertThat(counts.get(Tally.step("step-1", Tally.SENT))).as(where + ": report").isEqualTo(received.size());
        assertThat(counts.get(Tally.left(reason))).as(where + ": left once").isEqualTo(1);
        assertThat(notices()).as(where + ": notices").filteredOn(n -> n.type() == NoticeType.STEP_SENT)
                .extracting(n -> n.deliveryId().orElseThrow(), Notice::epoch)
                .containsExactlyElementsOf(received.stream()
                        .map(d -> tuple(d.deliveryId().value(), 1L)).toList());
        assertThat(notices()).as(where).filteredOn(n -> n.type() == NoticeType.ENROLLMENT_LEFT).hasSize(1);
        List<TimelineEntry> timeline = engine.timeline.page(ACCOUNT, "ann", 50, Optional.empty()).entries();
        assertThat(timeline).as(where + ": timeline").filteredOn(e -> e instanceof TimelineEntry.StepDone)
                .hasSize(received.size());
    }

    @Test
    void a_permanent_failure_at_the_destination_racing_a_leave_is_recorded_as_failed() {
        race(Order.BETWEEN_SEND_AND_COMMIT, Leaving.UNSUBSCRIBED, new SendResult.PermanentFailure("HTTP 410"));
        Enrollment ann = engine.enrollmentStore.find(subscriber("ann")).orElseThrow().value();
        assertThat(ann.history()).extracting(StepRecord::outcome).containsExactly(StepOutcome.FAILED);
        assertThat(counts().get(Tally.step("step-1", Tally.FAILED, "permanent"))).isEqualTo(1);
        assertThat(notices()).extracting(Notice::type).contains(NoticeType.STEP_FAILED);
    }

    @Test
    void a_copy_of_the_tick_that_committed_before_the_leave_is_not_recorded_twice() {
        engine.catalog.define(ACCOUNT, SEQUENCE, draft(0, 3600));
        engine.enrollments.enroll(subscriber("ann"));
        Tick first = engine.queue.takeNextVisible().orElseThrow();
        // Another instance handles a copy of the same tick to its commit while this one is sending; then ann leaves.
        TickHandler slow = handlerWhere(() -> { }, () -> {
            engine.ticks.handle(first);
            engine.enrollments.leave(subscriber("ann"));
        });
        assertThat(slow.handle(first)).isInstanceOf(TickOutcome.Dropped.class);
        Enrollment ann = engine.enrollmentStore.find(subscriber("ann")).orElseThrow().value();
        assertThat(engine.channel.deliveries()).hasSize(2)
                .extracting(Delivery::deliveryId).containsOnly(first.deliveryId());
        assertThat(ann.history()).hasSize(1);
        assertThat(counts().get(Tally.step("step-1", Tally.SENT))).isEqualTo(1);
    }

    @Test
    void a_send_of_a_life_that_a_re_enrollment_replaced_stays_out_of_the_new_life() {
        engine.catalog.define(ACCOUNT, SEQUENCE, EngineFixture.reenterable(draft(0, 3600)));
        engine.enrollments.enroll(subscriber("ann"));
        Tick first = engine.queue.takeNextVisible().orElseThrow();
        TickHandler handler = handlerWhere(() -> { }, () -> {
            engine.enrollments.leave(subscriber("ann"));
            engine.enrollments.enroll(subscriber("ann"));
        });
        assertThat(handler.handle(first)).isInstanceOf(TickOutcome.Dropped.class);
        Enrollment ann = engine.enrollmentStore.find(subscriber("ann")).orElseThrow().value();
        assertThat(ann.epoch()).isEqualTo(3);
        assertThat(ann.history()).as("the new life's conditions must not see the old life's step").isEmpty();
    }

    /** The fixture's enrollments, where {@code before} runs once, just before the first replace made through them. */
    private EnrollmentStore beforeFirstReplace(Runnable before) {
        AtomicBoolean ran = new AtomicBoolean();
        return PortInterceptor.around(EnrollmentStore.class, engine.enrollmentStore, (method, args, proceed) -> {
            if (method.getName().equals("replace") && ran.compareAndSet(false, true)) {
                before.run();
            }
            return proceed.call();
        });
    }

    @Test
    void a_step_skipped_while_the_subscriber_leaves_is_not_recorded_on_the_ended_enrollment() {
        SequenceDraft two = draft(0, 3600);
        Step first = two.steps().get(0);
        Step disabled = new Step(first.id(), first.delay(), first.message(), false, Optional.empty());
        engine.catalog.define(ACCOUNT, SEQUENCE, new SequenceDraft(two.name(), List.of(disabled, two.steps().get(1)),
                two.channel()));
        engine.enrollments.enroll(subscriber("ann"));
        Tick tick = engine.queue.takeNextVisible().orElseThrow();
        // Another instance's leave commits after the tick read ann, before it writes the skip: the write loses.
        TickHandler handler = engine.builder()
                .stores(engine.sequenceStore, beforeFirstReplace(() -> leave(Leaving.UNSUBSCRIBED)),
                        engine.subscriberStore)
                .build().ticks();

        assertThat(handler.handle(tick)).isInstanceOf(TickOutcome.Dropped.class);
        Enrollment ann = engine.enrollmentStore.find(subscriber("ann")).orElseThrow().value();
        assertThat(ann.status()).isEqualTo(EnrollmentStatus.LEFT);
        assertThat(ann.history()).as("nothing reached the receiver, so nothing is added after the leave").isEmpty();
        assertThat(counts().get(Tally.step("step-1", Tally.SKIPPED))).isZero();
    }

    @Test
    void a_send_whose_enrollment_is_gone_from_storage_when_its_record_is_written_after_a_leave_is_dropped() {
        engine.catalog.define(ACCOUNT, SEQUENCE, draft(0, 3600));
        engine.enrollments.enroll(subscriber("ann"));
        Tick tick = engine.queue.takeNextVisible().orElseThrow();
        // ann leaves while step 1 is being sent; then, as the tick adds the send to the ended enrollment, the row is
        // removed from storage (by hand, say): that write fails as a changed row's would, and the row is not found.
        AtomicBoolean gone = new AtomicBoolean();
        AtomicInteger replaces = new AtomicInteger();
        EnrollmentStore removedUnderTheTick = PortInterceptor.around(EnrollmentStore.class, engine.enrollmentStore,
                (method, args, proceed) -> {
                    if (method.getName().equals("replace") && replaces.incrementAndGet() == 2) {
                        gone.set(true);
                    }
                    if (gone.get() && method.getName().equals("replace")) {
                        throw new StaleWrite("enrollment " + subscriber("ann"));
                    }
                    return gone.get() && method.getName().equals("find") ? Optional.empty() : proceed.call();
                });
        TickHandler handler = engine.builder()
                .stores(engine.sequenceStore, removedUnderTheTick, engine.subscriberStore)
                .channel((config, delivery) -> {
                    SendResult sent = engine.channel.send(config, delivery);
                    leave(Leaving.UNSUBSCRIBED);
                    return sent;
                })
                .build().ticks();

        TickOutcome outcome = handler.handle(tick);

        assertThat(engine.channel.deliveries()).hasSize(1);
        assertThat(outcome).as("nothing left to record it on: the tick ends, it is not retried")
                .isEqualTo(new TickOutcome.Dropped("enrollment no longer exists"));
    }
}
