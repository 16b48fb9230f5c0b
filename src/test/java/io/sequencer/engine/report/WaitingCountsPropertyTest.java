package io.sequencer.engine.report;

import static io.sequencer.engine.EngineFixture.ACCOUNT;
import static io.sequencer.engine.EngineFixture.SEQUENCE;
import static io.sequencer.engine.EngineFixture.draft;
import static io.sequencer.engine.EngineFixture.subscriber;
import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.domain.sequence.ReentryPolicy;
import io.sequencer.domain.sequence.SequenceRules;
import io.sequencer.domain.subscriber.EventType;
import io.sequencer.domain.subscriber.SubscriberEvent;
import io.sequencer.engine.Conflict;
import io.sequencer.engine.EngineFixture;
import io.sequencer.engine.NotFound;
import io.sequencer.engine.Sequencer;
import io.sequencer.engine.subscriber.Erasure;
import io.sequencer.testing.WaitingScan;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The report's {@code waiting} gauges are counters, never a scan: after any run of enrolls, re-enrolls, sends,
 * clicks, leaves, moves and erasures, they equal what a scan of every enrollment counts.
 */
class WaitingCountsPropertyTest {

    enum Op { ENROLL, LEAVE, MOVE, TIME, CLICK, ERASE }

    record Action(Op op, int subscriber, int step, int seconds) {}

    @Provide
    Arbitrary<List<Action>> runs() {
        Arbitrary<Action> action = Combinators.combine(Arbitraries.of(Op.class), Arbitraries.integers().between(0, 7),
                Arbitraries.integers().between(1, 4), Arbitraries.integers().between(0, 7200)).as(Action::new);
        return action.list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 150)
    void the_gauges_equal_a_scan_after_any_run(@ForAll("runs") List<Action> run, @ForAll boolean restartWhileActive) {
        EngineFixture engine = new EngineFixture();
        ReentryPolicy reentry = restartWhileActive ? ReentryPolicy.ALWAYS : ReentryPolicy.AFTER_COMPLETION;
        engine.catalog.define(ACCOUNT, SEQUENCE, EngineFixture.withRules(draft(0, 600, 1800, 3600),
                SequenceRules.NONE.withReentry(reentry)));
        Sequencer built = engine.builder().build();
        Erasure erasure = built.erasure();
        for (Action a : run) {
            String id = "s" + a.subscriber();
            try {
                switch (a.op()) {
                    case ENROLL -> engine.enrollments.enroll(subscriber(id));
                    case LEAVE -> engine.enrollments.leave(subscriber(id));
                    case MOVE -> engine.enrollments.move(subscriber(id), "step-" + a.step());
                    case TIME -> engine.runFor(Duration.ofSeconds(a.seconds()));
                    case CLICK -> engine.events.record(ACCOUNT, new SubscriberEvent(id, EventType.CLICKED,
                            Optional.empty(), Optional.of(SEQUENCE), Optional.empty(), Optional.empty(),
                            Optional.empty(), Optional.empty(), Optional.empty()));
                    case ERASE -> erasure.erase(ACCOUNT, id);
                }
            } catch (NotFound | Conflict refused) {
                // Not enrolled, ended, opted out by an erasure, or re-entry refused: nothing changed.
            }
            assertThat(WaitingScan.gauges(engine.enrollmentStore, ACCOUNT, SEQUENCE)).as("after " + a)
                    .isEqualTo(WaitingScan.scanned(engine.enrollmentStore, ACCOUNT, SEQUENCE));
        }
    }
}
