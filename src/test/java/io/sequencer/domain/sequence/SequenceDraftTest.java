package io.sequencer.domain.sequence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.channel.webhook.WebhookConfig;
import io.sequencer.domain.FieldError;
import io.sequencer.domain.Invalid;
import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.domain.subscriber.AttributeOperator;
import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.domain.subscriber.EventType;
import java.net.URI;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A sequence's definition: the references its rules make, and when a replacement changes it. */
class SequenceDraftTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final ChannelConfig HOOK = new WebhookConfig(URI.create("https://host.example/hook"), Optional.empty());
    private static final Condition VIP = new Condition.AttributeTest("vip", AttributeOperator.EXISTS, new AttributeValue.Flag(true));

    private static Step step(String id) {
        return new Step(id, Delay.of(1, DelayUnit.HOURS), "{}");
    }

    private static Step step(String id, StepRules rules) {
        return new Step(id, Delay.of(1, DelayUnit.HOURS), "{}", true, Optional.empty(), rules);
    }

    private static List<String> problemFields(List<Step> steps, SequenceRules rules) {
        return SequenceDraft.referenceProblems(steps, rules).stream().map(FieldError::field).toList();
    }

    @Test
    void a_branch_must_jump_to_a_later_step_not_to_itself() {
        StepRules toItself = new StepRules(Optional.empty(), false, List.of(new Branch(VIP, "one")), Optional.empty());
        StepRules ahead = new StepRules(Optional.empty(), false, List.of(new Branch(VIP, "two")), Optional.empty());

        assertThat(problemFields(List.of(step("one", toItself), step("two")), SequenceRules.NONE))
                .containsExactly("steps[0].branches[0].goTo");
        assertThat(problemFields(List.of(step("one", ahead), step("two")), SequenceRules.NONE)).isEmpty();
    }

    @Test
    void waits_goals_and_triggers_may_name_only_steps_of_the_sequence() {
        EventMatch clickedGone = new EventMatch(EventType.CLICKED, Optional.of("gone"), Optional.empty());
        EventMatch clickedOne = new EventMatch(EventType.CLICKED, Optional.of("one"), Optional.empty());
        StepRules waitForGone = new StepRules(Optional.empty(), false, List.of(), Optional.of(clickedGone));
        SequenceRules rules = new SequenceRules(ReentryPolicy.NEVER, List.of(clickedOne, clickedGone),
                List.of(new Trigger.OnEvent(clickedOne, "next"), new Trigger.OnEvent(clickedGone, "next")), false);

        assertThat(problemFields(List.of(step("one", waitForGone)), rules))
                .containsExactly("steps[0].waitFor.step", "exitWhen[1].step", "then[1].step");
        assertThatThrownBy(() -> new SequenceDraft("n", List.of(step("one", waitForGone)), HOOK))
                .isInstanceOf(Invalid.class);
    }

    @Test
    void a_definition_is_the_same_only_when_name_steps_channel_zone_window_and_rules_all_are() {
        SequenceDraft draft = new SequenceDraft("Welcome", List.of(step("one")), HOOK, Optional.empty(), Optional.empty());
        Sequence sequence = Sequence.create("acme", "welcome", draft, NOW);
        SendWindow office = new SendWindow(LocalTime.of(9, 0), LocalTime.of(17, 0), Set.of(DayOfWeek.MONDAY));

        assertThat(sequence.sameDefinitionAs(draft)).isTrue();
        assertThat(sequence.sameDefinitionAs(new SequenceDraft("Hello", List.of(step("one")), HOOK))).isFalse();
        assertThat(sequence.sameDefinitionAs(new SequenceDraft("Welcome", List.of(step("two")), HOOK))).isFalse();
        assertThat(sequence.sameDefinitionAs(new SequenceDraft("Welcome", List.of(step("one")),
                new WebhookConfig(URI.create("https://other.example/hook"), Optional.empty())))).isFalse();
        assertThat(sequence.sameDefinitionAs(new SequenceDraft("Welcome", List.of(step("one")), HOOK,
                Optional.of(ZoneId.of("Europe/Paris")), Optional.empty()))).isFalse();
        assertThat(sequence.sameDefinitionAs(new SequenceDraft("Welcome", List.of(step("one")), HOOK,
                Optional.empty(), Optional.of(office)))).isFalse();
        assertThat(sequence.sameDefinitionAs(new SequenceDraft("Welcome", List.of(step("one")), HOOK,
                Optional.empty(), Optional.empty(), SequenceRules.NONE.withReentry(ReentryPolicy.ALWAYS)))).isFalse();
    }
}
