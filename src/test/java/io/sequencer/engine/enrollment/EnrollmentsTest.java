package io.sequencer.engine.enrollment;

import static io.sequencer.engine.EngineFixture.ACCOUNT;
import static io.sequencer.engine.EngineFixture.SEQUENCE;
import static io.sequencer.engine.EngineFixture.draft;
import static io.sequencer.engine.EngineFixture.subscriber;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentStatus;
import io.sequencer.engine.EngineFixture;
import io.sequencer.engine.NotFound;
import io.sequencer.engine.Stored;
import io.sequencer.engine.send.Delivery;
import io.sequencer.engine.tick.TickOutcome;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EnrollmentsTest {
    private final EngineFixture engine = new EngineFixture();

    @BeforeEach
    void defineSequence() {
        engine.catalog.define(ACCOUNT, SEQUENCE, draft(0, 60, 3600));
    }

    @Test
    void enrolling_schedules_the_first_step_at_its_delay() {
        EnrollResult result = engine.enrollments.enroll(subscriber("ann"));
        assertThat(result.created()).isTrue();
        assertThat(result.enrollment().status()).isEqualTo(EnrollmentStatus.ACTIVE);
        assertThat(result.enrollment().nextStepId()).isEqualTo("step-1");
        assertThat(result.enrollment().nextDueAt()).isEqualTo(engine.clock.instant());
        assertThat(result.enrollment().epoch()).isEqualTo(1);
        assertThat(engine.queue.pending()).hasSize(1);
    }

    @Test
    void enrolling_twice_is_idempotent() {
        Enrollment first = engine.enrollments.enroll(subscriber("ann")).enrollment();
        engine.clock.advance(Duration.ofSeconds(5));
        EnrollResult again = engine.enrollments.enroll(subscriber("ann"));
        assertThat(again.created()).isFalse();
        assertThat(again.enrollment()).isEqualTo(first);
        assertThat(engine.queue.pending()).hasSize(1);
        engine.runFor(Duration.ofDays(1));
        assertThat(engine.channel.deliveries()).hasSize(3);
    }

    @Test
    void enrolling_into_an_unknown_sequence_is_not_found() {
        assertThatThrownBy(() -> engine.enrollments.enroll(new io.sequencer.domain.enrollment.EnrollmentKey(ACCOUNT, "nope", "ann")))
                .isInstanceOf(NotFound.class);
        assertThat(engine.queue.pending()).isEmpty();
    }

    @Test
    void leave_cancels_pending_steps() {
        engine.enrollments.enroll(subscriber("ann"));
        engine.runFor(Duration.ofSeconds(1));
        assertThat(engine.channel.deliveries()).hasSize(1);
        Enrollment left = engine.enrollments.leave(subscriber("ann"));
        assertThat(left.status()).isEqualTo(EnrollmentStatus.LEFT);
        engine.runFor(Duration.ofDays(1));
        assertThat(engine.channel.deliveries()).hasSize(1);
        assertThat(engine.outcomes).last().isInstanceOf(TickOutcome.Dropped.class);
    }

    @Test
    void leaving_twice_is_harmless_and_leaving_an_unknown_enrollment_is_not_found() {
        engine.enrollments.enroll(subscriber("ann"));
        Enrollment once = engine.enrollments.leave(subscriber("ann"));
        assertThat(engine.enrollments.leave(subscriber("ann"))).isEqualTo(once);
        assertThatThrownBy(() -> engine.enrollments.leave(subscriber("bob"))).isInstanceOf(NotFound.class);
    }

    @Test
    void re_enrolling_after_leaving_starts_a_new_epoch_and_old_ticks_stay_dead() {
        engine.catalog.define(ACCOUNT, SEQUENCE, EngineFixture.reenterable(draft(0, 60, 3600)));
        engine.enrollments.enroll(subscriber("ann"));
        engine.enrollments.leave(subscriber("ann"));
        EnrollResult again = engine.enrollments.enroll(subscriber("ann"));
        assertThat(again.created()).isTrue();
        assertThat(again.enrollment().epoch()).isEqualTo(3);
        engine.runFor(Duration.ofDays(1));
        var ann = subscriber("ann");
        assertThat(engine.channel.deliveries()).as("every step once, under the ids of the current epoch")
                .extracting(io.sequencer.engine.send.Delivery::deliveryId)
                .containsExactly(io.sequencer.domain.enrollment.DeliveryId.of(ann, 3, 0, "step-1"),
                        io.sequencer.domain.enrollment.DeliveryId.of(ann, 3, 1, "step-2"),
                        io.sequencer.domain.enrollment.DeliveryId.of(ann, 3, 2, "step-3"));
        assertThat(engine.outcomes).as("the first epoch's tick woke and was dropped")
                .filteredOn(TickOutcome.Dropped.class::isInstance).hasSize(1);
        assertThat(engine.enrollments.get(ann).status()).isEqualTo(EnrollmentStatus.COMPLETED);
    }

    @Test
    void a_tick_enqueued_by_an_enroll_that_died_before_writing_is_dropped_after_waiting() {
        EnrollmentStore diesOnCreate = new EnrollmentStore() {
            public java.util.Optional<Stored<Enrollment>> find(io.sequencer.domain.enrollment.EnrollmentKey key) {
                return engine.enrollmentStore.find(key);
            }
            public void create(Enrollment enrollment) {
                throw new IllegalStateException("process died");
            }
            public void replace(Stored<Enrollment> current, Enrollment next) {
                engine.enrollmentStore.replace(current, next);
            }
            public java.util.SortedMap<java.time.LocalDate, io.sequencer.domain.report.Tally> tally(String a, String s) {
                return engine.enrollmentStore.tally(a, s);
            }
        };
        Enrollments dying = engine.builder()
                .stores(engine.sequenceStore, diesOnCreate, engine.subscriberStore).notices(null, null).build().enrollments();
        assertThatThrownBy(() -> dying.enroll(subscriber("ann"))).isInstanceOf(IllegalStateException.class);
        engine.runFor(Duration.ofDays(1));
        assertThat(engine.channel.deliveries()).isEmpty();
        assertThat(engine.outcomes).last().isInstanceOfSatisfying(TickOutcome.Dropped.class,
                d -> assertThat(d.reason()).startsWith("gave up waiting"));
    }
}
