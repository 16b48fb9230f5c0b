package io.sequencer.engine;

import static io.sequencer.engine.EngineFixture.ACCOUNT;
import static io.sequencer.engine.EngineFixture.SEQUENCE;
import static io.sequencer.engine.EngineFixture.draft;
import static io.sequencer.engine.EngineFixture.subscriber;
import static io.sequencer.engine.Reacting.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.domain.enrollment.DeliveryId;
import io.sequencer.domain.notification.NoticeType;
import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.domain.subscriber.EventType;
import io.sequencer.domain.timer.Tick;
import io.sequencer.engine.enrollment.EnrollmentStore;
import io.sequencer.engine.notification.NotificationSettingsStore;
import io.sequencer.engine.sequence.SequenceStore;
import io.sequencer.engine.subscriber.SubscriberStore;
import io.sequencer.engine.tick.TickOutcome;
import io.sequencer.testing.PortInterceptor;
import java.net.URI;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A use case whose write keeps losing to other writers (an enrollment, a sequence, a profile, an account's
 * notification settings) gives up after five tries with a {@link Conflict} the caller can retry, rather than
 * looping for ever or writing over what it did not read.
 */
class LosingRacesTest {
    private final EngineFixture engine = new EngineFixture();
    /** The port whose writes lose, if any. */
    private final AtomicReference<Class<?>> losing = new AtomicReference<>();
    private final AtomicInteger writes = new AtomicInteger();
    /** The fixture's enrollments, where every write loses a race while {@link #losing} is set. */
    private final Sequencer raced = engine.builder()
            .stores(losingRaces(SequenceStore.class, engine.sequenceStore),
                    losingRaces(EnrollmentStore.class, engine.enrollmentStore),
                    losingRaces(SubscriberStore.class, engine.subscriberStore))
            .notices(losingRaces(NotificationSettingsStore.class, engine.settingsStore), engine.noticeQueue)
            .build();

    /** {@code store}, where every create or replace loses a race while {@link #losing} names its port. */
    private <T> T losingRaces(Class<T> port, T store) {
        return PortInterceptor.around(port, store, (method, args, proceed) -> {
            if (losing.get() == port && (method.getName().equals("replace") || method.getName().equals("create"))) {
                writes.incrementAndGet();
                throw new StaleWrite("another writer was first");
            }
            return proceed.call();
        });
    }

    private void startLosing(Class<?> port) {
        losing.set(port);
        writes.set(0);
    }

    @Test
    void a_leave_gives_up_after_five_lost_races() {
        engine.catalog.define(ACCOUNT, SEQUENCE, draft(0, 3600));
        engine.enrollments.enroll(subscriber("ann"));
        startLosing(EnrollmentStore.class);
        assertThatThrownBy(() -> raced.enrollments().leave(subscriber("ann"))).isInstanceOf(Conflict.class);
        assertThat(writes).hasValue(5);
    }

    @Test
    void an_enroll_over_an_ended_enrollment_gives_up_after_five_lost_races() {
        engine.catalog.define(ACCOUNT, SEQUENCE, EngineFixture.reenterable(draft(0, 3600)));
        engine.enrollments.enroll(subscriber("ann"));
        engine.enrollments.leave(subscriber("ann"));
        startLosing(EnrollmentStore.class);
        assertThatThrownBy(() -> raced.enrollments().enroll(subscriber("ann"))).isInstanceOf(Conflict.class);
        assertThat(writes).hasValue(5);
    }

    @Test
    void an_opt_out_gives_up_after_five_lost_races_on_an_enrollment() {
        engine.catalog.define(ACCOUNT, SEQUENCE, draft(0, 3600));
        engine.enrollments.enroll(subscriber("ann"));
        startLosing(EnrollmentStore.class);
        assertThatThrownBy(() -> raced.subscribers().optOut(ACCOUNT, "ann")).isInstanceOf(Conflict.class);
        assertThat(writes).hasValue(5);
    }

    @Test
    void an_event_gives_up_after_five_lost_races() {
        engine.catalog.define(ACCOUNT, SEQUENCE, draft(0, 3600));
        engine.enrollments.enroll(subscriber("ann"));
        engine.handleVisible();
        String delivery = engine.enrollments.get(subscriber("ann")).lastRecordOf("step-1").orElseThrow().deliveryId();
        startLosing(EnrollmentStore.class);
        assertThatThrownBy(() -> raced.events().record(ACCOUNT, event("ann", EventType.CLICKED).delivery(delivery).build()))
                .isInstanceOf(Conflict.class);
        assertThat(writes).hasValue(5);
    }

    @Test
    void redefining_a_sequence_gives_up_after_five_lost_races() {
        engine.catalog.define(ACCOUNT, SEQUENCE, draft(0, 3600));
        startLosing(SequenceStore.class);
        assertThatThrownBy(() -> raced.sequences().define(ACCOUNT, SEQUENCE, draft(0, 7200))).isInstanceOf(Conflict.class);
        assertThat(writes).hasValue(5);
    }

    @Test
    void pausing_a_sequence_gives_up_after_five_lost_races() {
        engine.catalog.define(ACCOUNT, SEQUENCE, draft(0, 3600));
        startLosing(SequenceStore.class);
        assertThatThrownBy(() -> raced.sequences().pause(ACCOUNT, SEQUENCE)).isInstanceOf(Conflict.class);
        assertThat(writes).hasValue(5);
    }

    @Test
    void a_profile_update_gives_up_after_five_lost_races() {
        engine.subscribers.add(ACCOUNT, "ann", Map.of(), Optional.empty(), Optional.empty());
        startLosing(SubscriberStore.class);
        assertThatThrownBy(() -> raced.subscribers().update(ACCOUNT, "ann",
                Map.of("plan", Optional.of(new AttributeValue.Text("pro"))), Optional.empty()))
                .isInstanceOf(Conflict.class);
        assertThat(writes).hasValue(5);
    }

    @Test
    void defining_notification_settings_gives_up_after_five_lost_races() {
        startLosing(NotificationSettingsStore.class);
        assertThatThrownBy(() -> raced.notifications().define(ACCOUNT, URI.create("https://host.example/notices"),
                Optional.empty(), EnumSet.of(NoticeType.ENROLLMENT_COMPLETED))).isInstanceOf(Conflict.class);
        assertThat(writes).hasValue(5);
    }

    @Test
    void a_tick_whose_commit_keeps_losing_gives_up_after_five_lost_races_and_is_retried() {
        engine.catalog.define(ACCOUNT, SEQUENCE, draft(0, 3600));
        engine.enrollments.enroll(subscriber("ann"));
        Tick due = engine.queue.takeNextVisible().orElseThrow();
        startLosing(EnrollmentStore.class);
        assertThatThrownBy(() -> raced.ticks().handle(due)).isInstanceOf(Conflict.class);
        assertThat(writes).hasValue(5);
    }

    @Test
    void a_send_that_finished_after_a_leave_is_recorded_on_the_ended_enrollment_and_reported_done() {
        engine.catalog.define(ACCOUNT, SEQUENCE, draft(0, 3600));
        engine.enrollments.enroll(subscriber("ann"));
        Tick due = engine.queue.takeNextVisible().orElseThrow();
        engine.channel.atDelivery(1, () -> engine.enrollments.leave(subscriber("ann")));

        TickOutcome outcome = raced.ticks().handle(due);

        DeliveryId delivery = engine.channel.deliveries().get(0).deliveryId();
        assertThat(outcome).isInstanceOfSatisfying(TickOutcome.Done.class,
                done -> assertThat(done.deliveryId()).isEqualTo(delivery));
        assertThat(engine.enrollments.get(subscriber("ann")).lastRecordOf("step-1")).isPresent();
    }

    @Test
    void recording_a_send_after_a_leave_gives_up_after_five_lost_races() {
        engine.catalog.define(ACCOUNT, SEQUENCE, draft(0, 3600));
        engine.enrollments.enroll(subscriber("ann"));
        Tick due = engine.queue.takeNextVisible().orElseThrow();
        engine.channel.atDelivery(1, () -> {
            engine.enrollments.leave(subscriber("ann"));
            startLosing(EnrollmentStore.class);
        });

        assertThatThrownBy(() -> raced.ticks().handle(due)).isInstanceOf(Conflict.class);
        assertThat(writes).as("the tick's own commit, then five tries to record the send after the leave").hasValue(6);
    }
}
