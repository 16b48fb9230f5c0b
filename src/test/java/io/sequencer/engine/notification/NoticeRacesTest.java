package io.sequencer.engine.notification;

import static io.sequencer.engine.EngineFixture.ACCOUNT;
import static io.sequencer.engine.EngineFixture.SEQUENCE;
import static io.sequencer.engine.EngineFixture.subscriber;
import static io.sequencer.engine.Reacting.sequence;
import static io.sequencer.engine.Reacting.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.notification.NoticeType;
import io.sequencer.domain.timer.Tick;
import io.sequencer.engine.EngineFixture;
import io.sequencer.engine.Stored;
import io.sequencer.engine.enrollment.EnrollmentStore;
import io.sequencer.testing.ForwardingEnrollmentStore;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A signal is queued before the write whose events it announces, so the dispatcher can take it before that write
 * lands: it must then wait for the write, not retire the signal and leave the events without one.
 */
class NoticeRacesTest {
    private final EngineFixture engine = new EngineFixture();

    private void subscribe() {
        engine.notifications.define(ACCOUNT, URI.create("https://host.example/notices"), Optional.empty(),
                EnumSet.allOf(NoticeType.class));
    }

    /** Runs the sequences and the notify timer (every 5 s) side by side until both are idle. */
    private void runFor(Duration limit) {
        var end = engine.clock.instant().plus(limit);
        while (true) {
            engine.handleVisible();
            engine.dispatcher.drain(Duration.ofSeconds(10));
            var next = Stream.of(engine.queue.nextVisibleAt(), engine.noticeQueue.nextVisibleAt())
                    .flatMap(Optional::stream).min(Instant::compareTo);
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

    private Tick nextTick() {
        return engine.queue.takeNextVisible().orElseThrow();
    }

    @Test
    void a_step_whose_write_lands_after_the_dispatcher_read_an_empty_outbox_is_notified() {
        subscribe();
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("one", 0), step("two", 60)));
        engine.enrollments.enroll(subscriber("ann"));
        runFor(Duration.ofSeconds(30));
        assertThat(stream("ann")).containsExactly("enrollment.started", "step.sent:one");
        LateWrites late = new LateWrites(engine.enrollmentStore);
        var writer = engine.builder().stores(engine.sequenceStore, late, engine.subscriberStore).build().ticks();

        late.holdNextWhile(() -> engine.dispatcher.drain(Duration.ofSeconds(10)));
        engine.clock.advance(Duration.ofSeconds(60));
        writer.handle(nextTick());
        assertThat(late.landedAfterwards).as("the dispatcher ran between the signal and the write").isTrue();
        assertThat(engine.noticeQueue.size()).as("the signal waits for its write").isEqualTo(1);

        runFor(Duration.ofMinutes(1));
        assertThat(stream("ann")).containsExactly("enrollment.started", "step.sent:one", "step.sent:two",
                "enrollment.completed");
        assertThat(engine.noticeQueue.size()).isZero();
    }

    @Test
    void a_first_enrollment_created_after_the_dispatcher_found_none_is_notified() {
        subscribe();
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("one", 86400)));
        LateWrites late = new LateWrites(engine.enrollmentStore);
        var enrollments = engine.builder().stores(engine.sequenceStore, late, engine.subscriberStore).build()
                .enrollments();

        late.holdNextWhile(() -> engine.dispatcher.drain(Duration.ofSeconds(10)));
        enrollments.enroll(subscriber("ann"));
        assertThat(late.landedAfterwards).isTrue();

        runFor(Duration.ofMinutes(1));
        assertThat(stream("ann")).containsExactly("enrollment.started");
        assertThat(engine.noticeQueue.size()).isZero();
    }

    /**
     * As seen in an integration run: a send finishes after a leave and is recorded on the ended enrollment; the
     * dispatcher has taken the leave's signal and the record's together, read the enrollment before the record
     * landed, and clears the leave's event on the state the record wrote.
     */
    @Test
    void a_send_recorded_after_a_leave_while_the_dispatcher_delivers_the_leave_is_notified() {
        subscribe();
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("one", 0), step("two", 60)));
        engine.enrollments.enroll(subscriber("ann"));
        runFor(Duration.ofSeconds(30));
        LateWrites late = new LateWrites(engine.enrollmentStore);
        var racing = engine.builder().stores(engine.sequenceStore, new LandsAfterRead(late), engine.subscriberStore)
                .build().noticeDispatcher();
        var writer = engine.builder().stores(engine.sequenceStore, late, engine.subscriberStore).build().ticks();
        engine.channel.atDelivery(2, () -> {
            engine.enrollments.leave(subscriber("ann"));
            late.holdNextWhile(() -> racing.drain(Duration.ofSeconds(10)));
        });

        engine.clock.advance(Duration.ofSeconds(60));
        writer.handle(nextTick());
        assertThat(late.landedAfterwards).as("the record landed between the dispatcher's read and its clear").isTrue();
        assertThat(stream("ann")).containsExactly("enrollment.started", "step.sent:one", "enrollment.left(unsubscribed)");

        runFor(Duration.ofMinutes(1));
        assertThat(stream("ann")).containsExactly("enrollment.started", "step.sent:one", "enrollment.left(unsubscribed)",
                "step.sent:two");
        assertThat(engine.enrollments.get(subscriber("ann")).outbox().pending()).isEmpty();
        assertThat(engine.noticeQueue.size()).isZero();
    }

    @Test
    void a_signal_whose_writer_died_waits_for_the_retried_write_and_each_event_goes_once() {
        subscribe();
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("one", 0), step("two", 60)));
        engine.enrollments.enroll(subscriber("ann"));
        runFor(Duration.ofSeconds(30));
        var dying = engine.builder().stores(engine.sequenceStore, new DiesOnWrite(engine.enrollmentStore),
                engine.subscriberStore).build().ticks();
        engine.clock.advance(Duration.ofSeconds(60));
        Tick tick = nextTick();
        assertThatThrownBy(() -> dying.handle(tick)).isInstanceOf(IllegalStateException.class);
        engine.dispatcher.drain(Duration.ofSeconds(10));
        assertThat(engine.noticeQueue.size()).as("the signal of the write that did not land waits").isEqualTo(1);

        engine.queue.redeliver(tick, Duration.ofSeconds(30));
        runFor(Duration.ofMinutes(10));
        assertThat(stream("ann")).containsExactly("enrollment.started", "step.sent:one", "step.sent:two",
                "enrollment.completed");
        assertThat(engine.noticeQueue.size()).as("the retried write fulfils both signals").isZero();
    }

    @Test
    void a_signal_whose_write_never_lands_is_retired_once_the_write_had_minutes_to_land() {
        subscribe();
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("one", 0), step("two", 60)));
        engine.enrollments.enroll(subscriber("ann"));
        runFor(Duration.ofSeconds(30));
        var dying = engine.builder().stores(engine.sequenceStore, new DiesOnWrite(engine.enrollmentStore),
                engine.subscriberStore).build().ticks();
        engine.clock.advance(Duration.ofSeconds(60));
        Tick tick = nextTick();
        assertThatThrownBy(() -> dying.handle(tick)).isInstanceOf(IllegalStateException.class);
        Instant orphaned = engine.clock.instant();
        var reads = new CountingReads(engine.enrollmentStore);
        var dispatcher = engine.builder().stores(engine.sequenceStore, reads, engine.subscriberStore).build()
                .noticeDispatcher();

        while (engine.noticeQueue.size() > 0) {
            dispatcher.drain(Duration.ofSeconds(10));
            engine.noticeQueue.nextVisibleAt().ifPresent(engine.clock::set);
            assertThat(engine.clock.instant()).as("it does not circle forever").isBefore(orphaned.plus(Duration.ofHours(1)));
        }
        assertThat(Duration.between(orphaned, engine.clock.instant())).isGreaterThanOrEqualTo(Duration.ofMinutes(5));
        assertThat(reads.count).as("one read per receive, a handful in all").isBetween(2, NoticeDispatcher.LANDING_RECEIVES);
        assertThat(stream("ann")).containsExactly("enrollment.started", "step.sent:one");
    }

    @Test
    void a_signal_of_the_older_form_finding_nothing_waiting_is_retired_at_once() {
        subscribe();
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("one", 86400)));
        engine.noticeQueue.signal(subscriber("ann"), NoticeQueue.ANY);
        engine.dispatcher.drain(Duration.ofSeconds(10));
        assertThat(engine.noticeQueue.size()).isZero();
    }

    /**
     * The enrollment store as a slow writer sees it: once armed, its next write that would succeed runs {@code
     * meanwhile} first (the dispatcher, say) and lands only then, unless {@link LandsAfterRead} landed it earlier.
     */
    private static final class LateWrites extends ForwardingEnrollmentStore {
        private final EnrollmentStore real;
        private Runnable meanwhile;
        private Runnable held;
        boolean landedAfterwards;

        LateWrites(EnrollmentStore real) {
            super(real);
            this.real = real;
        }

        void holdNextWhile(Runnable meanwhile) {
            this.meanwhile = meanwhile;
        }

        /** Lands the held write now, if there is one. */
        void land() {
            Runnable write = held;
            held = null;
            if (write != null) {
                write.run();
                landedAfterwards = true;
            }
        }

        @Override
        public void create(Enrollment enrollment) {
            if (meanwhile != null && real.find(enrollment.key()).isEmpty()) {
                late(() -> real.create(enrollment));
            } else {
                real.create(enrollment);
            }
        }

        @Override
        public void replace(Stored<Enrollment> current, Enrollment next) {
            boolean wouldLand = real.find(next.key()).map(Stored::etag).equals(Optional.of(current.etag()));
            if (meanwhile != null && wouldLand) {
                late(() -> real.replace(current, next));
            } else {
                real.replace(current, next);
            }
        }

        private void late(Runnable write) {
            Runnable before = meanwhile;
            meanwhile = null;
            held = write;
            before.run();
            land();
        }
    }

    /** The dispatcher's view: a write held by {@link LateWrites} lands right after the dispatcher's read. */
    private static final class LandsAfterRead extends ForwardingEnrollmentStore {
        private final LateWrites late;

        LandsAfterRead(LateWrites late) {
            super(late.real);
            this.late = late;
        }

        @Override
        public Optional<Stored<Enrollment>> find(EnrollmentKey key) {
            Optional<Stored<Enrollment>> read = super.find(key);
            late.land();
            return read;
        }
    }

    private static final class CountingReads extends ForwardingEnrollmentStore {
        int count;

        CountingReads(EnrollmentStore real) {
            super(real);
        }

        @Override
        public Optional<Stored<Enrollment>> find(EnrollmentKey key) {
            count++;
            return super.find(key);
        }
    }

    /** A process that dies on its enrollment write: its signal is queued, its write never lands. */
    private static final class DiesOnWrite extends ForwardingEnrollmentStore {
        DiesOnWrite(EnrollmentStore real) {
            super(real);
        }

        @Override
        public void create(Enrollment enrollment) {
            throw new IllegalStateException("process died");
        }

        @Override
        public void replace(Stored<Enrollment> current, Enrollment next) {
            throw new IllegalStateException("process died");
        }
    }
}
