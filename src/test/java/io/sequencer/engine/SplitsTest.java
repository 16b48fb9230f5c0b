package io.sequencer.engine;

import static io.sequencer.engine.EngineFixture.ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.channel.webhook.WebhookConfig;
import io.sequencer.domain.channel.StepMessaging;
import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.enrollment.LeaveReason;
import io.sequencer.domain.enrollment.StepOutcome;
import io.sequencer.domain.enrollment.StepRecord;
import io.sequencer.domain.sequence.Assignment;
import io.sequencer.domain.sequence.Delay;
import io.sequencer.domain.sequence.DelayUnit;
import io.sequencer.domain.sequence.EventMatch;
import io.sequencer.domain.sequence.Experiment;
import io.sequencer.domain.sequence.ReentryPolicy;
import io.sequencer.domain.sequence.SequenceDraft;
import io.sequencer.domain.sequence.SequenceRules;
import io.sequencer.domain.sequence.SplitPath;
import io.sequencer.domain.sequence.Step;
import io.sequencer.domain.sequence.StepRules;
import io.sequencer.domain.sequence.Variant;
import io.sequencer.domain.subscriber.EventType;
import io.sequencer.engine.send.Delivery;
import io.sequencer.engine.send.DeliveryTarget;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A/B variants, splits and holdouts on the tick, on a stepping clock. */
class SplitsTest {
    private static final WebhookConfig HOOK = new WebhookConfig(URI.create("https://host.example/hook"), Optional.empty());
    private static final Experiment VARIANTS = new Experiment(List.of(
            new Variant("a", 1, "{\"text\":\"A {{ enrollment.data.code | default: 'none' }}\"}"),
            new Variant("b", 1, "{\"text\":\"B {{ enrollment.data.code | default: 'none' }}\"}")), List.of());
    private final EngineFixture engine = new EngineFixture();

    private static Step step(String id, Experiment experiment) {
        return new Step(id, Delay.of(1, DelayUnit.MINUTES), "{\"text\":\"" + id + "\"}", true, Optional.empty(),
                StepRules.NONE, StepMessaging.DEFAULT, experiment);
    }

    private void define(int holdout, Step... steps) {
        engine.catalog.define(ACCOUNT, "trial", new SequenceDraft("Trial", List.of(steps), HOOK, Optional.empty(),
                Optional.empty(), new SequenceRules(ReentryPolicy.NEVER,
                        List.of(new EventMatch(EventType.CONVERTED, Optional.empty(), Optional.empty())), List.of(),
                        false, holdout)));
    }

    private static EnrollmentKey key(String subscriber) {
        return new EnrollmentKey(ACCOUNT, "trial", subscriber);
    }

    private static String variantOf(DeliveryTarget target) {
        return ((DeliveryTarget.Step) target).variant().orElse("");
    }

    @Test
    void each_subscriber_is_sent_their_variant_rendered_and_its_record_names_it() {
        define(0, step("offer", VARIANTS), step("after", Experiment.NONE));
        List<String> subscribers = IntStream.range(0, 20).mapToObj(i -> "s" + i).toList();
        subscribers.forEach(s -> engine.enrollments.enroll(key(s)));
        engine.runFor(Duration.ofMinutes(5));

        for (String s : subscribers) {
            String expected = VARIANTS.variantFor(Assignment.step(ACCOUNT, "trial", s, "offer")).orElseThrow().id();
            Delivery offer = engine.channel.deliveries().stream()
                    .filter(d -> d.key().subscriberId().equals(s) && d.stepId().equals("offer")).findFirst().orElseThrow();
            assertThat(variantOf(offer.target())).isEqualTo(expected);
            assertThat(offer.message()).isEqualTo("{\"text\":\"" + expected.toUpperCase() + " none\"}");
            assertThat(engine.enrollments.get(key(s)).lastRecordOf("offer").orElseThrow().variant()).contains(expected);
            assertThat(engine.enrollments.get(key(s)).lastRecordOf("after").orElseThrow().variant()).isEmpty();
        }
        assertThat(engine.channel.deliveries()).extracting(d -> variantOf(d.target())).contains("a", "b");
    }

    @Test
    void a_split_sends_one_path_on_and_the_other_through_the_step() {
        Experiment split = new Experiment(List.of(), List.of(new SplitPath(1, "fork"), new SplitPath(1, "end")));
        define(0, step("fork", split), step("middle", Experiment.NONE), step("end", Experiment.NONE));
        List<String> subscribers = IntStream.range(0, 20).mapToObj(i -> "s" + i).toList();
        subscribers.forEach(s -> engine.enrollments.enroll(key(s)));
        engine.runFor(Duration.ofMinutes(10));

        for (String s : subscribers) {
            String path = split.pathFor(Assignment.step(ACCOUNT, "trial", s, "fork")).orElseThrow().goTo();
            Enrollment e = engine.enrollments.get(key(s));
            StepRecord fork = e.lastRecordOf("fork").orElseThrow();
            assertThat(fork.variant()).contains(path);
            if (path.equals("end")) {
                assertThat(fork.outcome()).isEqualTo(StepOutcome.SKIPPED);
                assertThat(fork.detail()).isEqualTo("split to end");
                assertThat(e.lastRecordOf("middle")).isEmpty();
            } else {
                assertThat(fork.outcome()).isEqualTo(StepOutcome.SENT);
                assertThat(e.lastRecordOf("middle")).isPresent();
            }
            assertThat(e.lastRecordOf("end").orElseThrow().outcome()).isEqualTo(StepOutcome.SENT);
        }
    }

    @Test
    void the_holdout_is_enrolled_walks_the_steps_is_sent_nothing_and_still_reaches_goals() {
        define(50, step("one", Experiment.NONE), step("two", Experiment.NONE));
        List<String> subscribers = IntStream.range(0, 20).mapToObj(i -> "s" + i).toList();
        subscribers.forEach(s -> engine.enrollments.enroll(key(s)));
        List<String> heldOut = subscribers.stream().filter(s -> Assignment.heldOut(ACCOUNT, "trial", s, 50)).toList();
        assertThat(heldOut).isNotEmpty().hasSizeLessThan(subscribers.size());
        engine.runFor(Duration.ofSeconds(90));

        assertThat(engine.channel.deliveries()).extracting(d -> d.key().subscriberId())
                .doesNotContainAnyElementsOf(heldOut);
        Enrollment held = engine.enrollments.get(key(heldOut.get(0)));
        assertThat(held.heldOut()).isTrue();
        assertThat(held.lastRecordOf("one").orElseThrow().detail()).isEqualTo(StepRecord.HELD_OUT);
        engine.events.record(ACCOUNT, Reacting.event(heldOut.get(0), EventType.CONVERTED).build());
        assertThat(engine.enrollments.get(key(heldOut.get(0))).leaveReason()).contains(LeaveReason.GOAL);
    }
}
