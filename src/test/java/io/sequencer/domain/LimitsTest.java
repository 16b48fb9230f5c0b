package io.sequencer.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.enrollment.Origin;
import io.sequencer.domain.report.PoisonSummary;
import io.sequencer.domain.sequence.Branch;
import io.sequencer.domain.sequence.Condition;
import io.sequencer.domain.sequence.EventMatch;
import io.sequencer.domain.sequence.ReentryPolicy;
import io.sequencer.domain.sequence.SequenceRules;
import io.sequencer.domain.sequence.StepRules;
import io.sequencer.domain.sequence.Trigger;
import io.sequencer.domain.subscriber.AttributeOperator;
import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.domain.subscriber.Attributes;
import io.sequencer.domain.subscriber.Conversation;
import io.sequencer.domain.subscriber.EventType;
import io.sequencer.domain.subscriber.Subscriber;
import io.sequencer.domain.timer.PoisonedTick;
import io.sequencer.domain.timer.Tick;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Every size limit of a domain value admits its maximum (and its lowest value) and refuses one more. */
class LimitsTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void attribute_texts_and_lists_hold_up_to_their_maximum() {
        assertThat(new AttributeValue.Text("x".repeat(AttributeValue.MAX_TEXT)).value()).hasSize(AttributeValue.MAX_TEXT);
        assertThatThrownBy(() -> new AttributeValue.Text("x".repeat(AttributeValue.MAX_TEXT + 1)))
                .isInstanceOf(IllegalArgumentException.class);

        List<String> full = Collections.nCopies(AttributeValue.MAX_ITEMS, "x".repeat(AttributeValue.MAX_TEXT));
        assertThat(new AttributeValue.TextList(full).values()).hasSize(AttributeValue.MAX_ITEMS);
        assertThatThrownBy(() -> new AttributeValue.TextList(Collections.nCopies(AttributeValue.MAX_ITEMS + 1, "x")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AttributeValue.TextList(List.of("x".repeat(AttributeValue.MAX_TEXT + 1))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_profile_holds_up_to_its_maximum_of_attributes() {
        assertThat(new Attributes(attributes(Attributes.MAX_ATTRIBUTES)).values()).hasSize(Attributes.MAX_ATTRIBUTES);
        assertThatThrownBy(() -> new Attributes(attributes(Attributes.MAX_ATTRIBUTES + 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Map<String, AttributeValue> attributes(int count) {
        Map<String, AttributeValue> values = new LinkedHashMap<>();
        IntStream.range(0, count).forEach(i -> values.put("a" + i, new AttributeValue.Flag(true)));
        return values;
    }

    @Test
    void an_origin_starts_at_depth_zero_and_names_a_cause_of_up_to_its_maximum() {
        assertThat(new Origin(Optional.of("c".repeat(Origin.MAX_CAUSE)), 0).depth()).isZero();
        assertThatThrownBy(() -> new Origin(Optional.of("c".repeat(Origin.MAX_CAUSE + 1)), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Origin(Optional.empty(), -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void poison_counts_start_at_zero_and_errors_are_kept_up_to_their_maximum() {
        assertThat(new PoisonSummary(0, Optional.empty(), Optional.empty()).count()).isZero();
        assertThatThrownBy(() -> new PoisonSummary(-1, Optional.empty(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);

        Tick tick = new Tick(new EnrollmentKey("acme", "welcome", "ann"), 1, 0, "s1", NOW, "t1", 1, 0, 0);
        assertThat(PoisonedTick.first(tick, "e".repeat(PoisonedTick.MAX_ERROR), NOW).error()).hasSize(PoisonedTick.MAX_ERROR);
        assertThatThrownBy(() -> PoisonedTick.first(tick, "e".repeat(PoisonedTick.MAX_ERROR + 1), NOW))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_sequence_has_up_to_its_maximum_of_goals_and_of_triggers() {
        List<EventMatch> goals = Collections.nCopies(SequenceRules.MAX_GOALS, EventMatch.of(EventType.CONVERTED));
        List<Trigger> triggers = Collections.nCopies(SequenceRules.MAX_TRIGGERS, new Trigger.OnCompleted("next"));

        assertThat(new SequenceRules(ReentryPolicy.NEVER, goals, triggers, false).exitWhen()).hasSize(SequenceRules.MAX_GOALS);
        assertThatThrownBy(() -> new SequenceRules(ReentryPolicy.NEVER,
                Collections.nCopies(SequenceRules.MAX_GOALS + 1, EventMatch.of(EventType.CONVERTED)), List.of(), false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SequenceRules(ReentryPolicy.NEVER, List.of(),
                Collections.nCopies(SequenceRules.MAX_TRIGGERS + 1, new Trigger.OnCompleted("next")), false))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_step_has_up_to_its_maximum_of_branches() {
        Branch branch = new Branch(new Condition.AttributeTest("vip", AttributeOperator.EXISTS, new AttributeValue.Flag(true)),
                "later");
        assertThat(new StepRules(Optional.empty(), false, Collections.nCopies(StepRules.MAX_BRANCHES, branch),
                Optional.empty()).branches()).hasSize(StepRules.MAX_BRANCHES);
        assertThatThrownBy(() -> new StepRules(Optional.empty(), false,
                Collections.nCopies(StepRules.MAX_BRANCHES + 1, branch), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_subscriber_is_enrolled_in_up_to_its_maximum_of_sequences() {
        List<String> almostFull = IntStream.range(0, Subscriber.MAX_SEQUENCES - 1).mapToObj(i -> "s" + i).toList();
        Subscriber subscriber = new Subscriber("acme", "ann", Attributes.NONE, Optional.empty(), almostFull,
                Optional.empty(), Conversation.NONE, NOW, NOW);

        Subscriber full = subscriber.enrolledIn("last", NOW);

        assertThat(full.sequences()).hasSize(Subscriber.MAX_SEQUENCES);
        assertThat(full.enrolledIn("last", NOW)).as("a sequence it is already in").isSameAs(full);
        assertThatThrownBy(() -> full.enrolledIn("one-more", NOW)).isInstanceOf(IllegalStateException.class);
    }
}
