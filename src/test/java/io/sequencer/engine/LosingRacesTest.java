package io.sequencer.engine;

import static io.sequencer.engine.EngineFixture.ACCOUNT;
import static io.sequencer.engine.EngineFixture.SEQUENCE;
import static io.sequencer.engine.EngineFixture.draft;
import static io.sequencer.engine.EngineFixture.subscriber;
import static io.sequencer.engine.Reacting.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.domain.subscriber.EventType;
import io.sequencer.engine.enrollment.EnrollmentStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A use case whose enrollment write keeps losing to other writers gives up after five tries with a {@link Conflict}
 * the caller can retry, rather than looping for ever or writing over what it did not read.
 */
class LosingRacesTest {
    private final EngineFixture engine = new EngineFixture();
    private final AtomicBoolean losing = new AtomicBoolean();
    private final AtomicInteger writes = new AtomicInteger();
    /** The fixture's enrollments, where every write loses a race while {@link #losing} is set. */
    private final EnrollmentStore racing = (EnrollmentStore) Proxy.newProxyInstance(EnrollmentStore.class.getClassLoader(),
            new Class<?>[] {EnrollmentStore.class}, (proxy, method, args) -> {
                if (losing.get() && (method.getName().equals("replace") || method.getName().equals("create"))) {
                    writes.incrementAndGet();
                    throw new StaleWrite("another writer was first");
                }
                try {
                    return method.invoke(engine.enrollmentStore, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });
    private final Sequencer raced = engine.builder().stores(engine.sequenceStore, racing, engine.subscriberStore).build();

    private void startLosing() {
        losing.set(true);
        writes.set(0);
    }

    @Test
    void a_leave_gives_up_after_five_lost_races() {
        engine.catalog.define(ACCOUNT, SEQUENCE, draft(0, 3600));
        engine.enrollments.enroll(subscriber("ann"));
        startLosing();
        assertThatThrownBy(() -> raced.enrollments().leave(subscriber("ann"))).isInstanceOf(Conflict.class);
        assertThat(writes).hasValue(5);
    }

    @Test
    void an_enroll_over_an_ended_enrollment_gives_up_after_five_lost_races() {
        engine.catalog.define(ACCOUNT, SEQUENCE, EngineFixture.reenterable(draft(0, 3600)));
        engine.enrollments.enroll(subscriber("ann"));
        engine.enrollments.leave(subscriber("ann"));
        startLosing();
        assertThatThrownBy(() -> raced.enrollments().enroll(subscriber("ann"))).isInstanceOf(Conflict.class);
        assertThat(writes).hasValue(5);
    }

    @Test
    void an_opt_out_gives_up_after_five_lost_races_on_an_enrollment() {
        engine.catalog.define(ACCOUNT, SEQUENCE, draft(0, 3600));
        engine.enrollments.enroll(subscriber("ann"));
        startLosing();
        assertThatThrownBy(() -> raced.subscribers().optOut(ACCOUNT, "ann")).isInstanceOf(Conflict.class);
        assertThat(writes).hasValue(5);
    }

    @Test
    void an_event_gives_up_after_five_lost_races() {
        engine.catalog.define(ACCOUNT, SEQUENCE, draft(0, 3600));
        engine.enrollments.enroll(subscriber("ann"));
        engine.handleVisible();
        String delivery = engine.enrollments.get(subscriber("ann")).lastRecordOf("step-1").orElseThrow().deliveryId();
        startLosing();
        assertThatThrownBy(() -> raced.events().record(ACCOUNT, event("ann", EventType.CLICKED).delivery(delivery).build()))
                .isInstanceOf(Conflict.class);
        assertThat(writes).hasValue(5);
    }
}
