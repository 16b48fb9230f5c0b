package io.sequencer.engine;

import io.sequencer.channel.webhook.WebhookConfig;
import io.sequencer.domain.sequence.Branch;
import io.sequencer.domain.sequence.Condition;
import io.sequencer.domain.sequence.Delay;
import io.sequencer.domain.sequence.DelayUnit;
import io.sequencer.domain.sequence.EventMatch;
import io.sequencer.domain.sequence.SequenceDraft;
import io.sequencer.domain.sequence.SequenceRules;
import io.sequencer.domain.sequence.Step;
import io.sequencer.domain.sequence.StepRef;
import io.sequencer.domain.sequence.StepRules;
import io.sequencer.domain.subscriber.AttributeOperator;
import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.domain.subscriber.Engagement;
import io.sequencer.domain.subscriber.EventType;
import io.sequencer.domain.subscriber.SubscriberEvent;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Short builders for sequences that react: steps with rules, conditions, and reported events. */
public final class Reacting {
    private Reacting() {}

    public static Step step(String id, long delaySeconds) {
        return step(id, delaySeconds, StepRules.NONE);
    }

    public static Step step(String id, long delaySeconds, StepRules rules) {
        return new Step(id, Delay.of(delaySeconds, DelayUnit.SECONDS), "{\"id\":\"" + id + "\"}", true, Optional.empty(), rules);
    }

    public static SequenceDraft sequence(SequenceRules rules, Step... steps) {
        return new SequenceDraft("Reacting", List.of(steps),
                new WebhookConfig(URI.create("https://host.example/hook"), Optional.empty()),
                Optional.empty(), Optional.empty(), rules);
    }

    public static SequenceDraft sequence(Step... steps) {
        return sequence(SequenceRules.NONE, steps);
    }

    public static StepRules onlyIf(Condition condition) {
        return new StepRules(Optional.of(condition), false, List.of(), Optional.empty());
    }

    public static StepRules endUnless(Condition condition) {
        return new StepRules(Optional.of(condition), true, List.of(), Optional.empty());
    }

    public static StepRules branch(Condition when, String goTo) {
        return new StepRules(Optional.empty(), false, List.of(new Branch(when, goTo)), Optional.empty());
    }

    public static StepRules waitFor(EventMatch event) {
        return new StepRules(Optional.empty(), false, List.of(), Optional.of(event));
    }

    public static Condition previous(Engagement engagement) {
        return new Condition.StepWas(new StepRef.Previous(), engagement, false);
    }

    public static Condition previousNot(Engagement engagement) {
        return new Condition.StepWas(new StepRef.Previous(), engagement, true);
    }

    public static Condition stepWas(String stepId, Engagement engagement) {
        return new Condition.StepWas(new StepRef.Named(stepId), engagement, false);
    }

    public static Condition attribute(String name, AttributeOperator operator, String operand) {
        return new Condition.AttributeTest(name, operator, new AttributeValue.Text(operand));
    }

    public static EventMatch on(EventType type, String stepId) {
        return new EventMatch(type, Optional.of(stepId), Optional.empty());
    }

    public static EventMatch named(EventType type, String name) {
        return new EventMatch(type, Optional.empty(), Optional.of(name));
    }

    public static Event event(String subscriberId, EventType type) {
        return new Event(subscriberId, type);
    }

    /** A reported event under construction. */
    public static final class Event {
        private final String subscriberId;
        private final EventType type;
        private Optional<String> deliveryId = Optional.empty();
        private Optional<String> sequenceId = Optional.empty();
        private Optional<String> stepId = Optional.empty();
        private Optional<String> name = Optional.empty();
        private Optional<Instant> at = Optional.empty();
        private Optional<String> eventId = Optional.empty();
        private Optional<Instant> watermark = Optional.empty();

        private Event(String subscriberId, EventType type) {
            this.subscriberId = subscriberId;
            this.type = type;
        }

        public Event delivery(String id) {
            deliveryId = Optional.of(id);
            return this;
        }

        public Event step(String sequence, String step) {
            sequenceId = Optional.of(sequence);
            stepId = Optional.of(step);
            return this;
        }

        public Event sequence(String sequence) {
            sequenceId = Optional.of(sequence);
            return this;
        }

        public Event name(String value) {
            name = Optional.of(value);
            return this;
        }

        public Event at(Instant value) {
            at = Optional.of(value);
            return this;
        }

        public Event id(String value) {
            eventId = Optional.of(value);
            return this;
        }

        public Event watermark(Instant value) {
            watermark = Optional.of(value);
            return this;
        }

        public SubscriberEvent build() {
            return new SubscriberEvent(subscriberId, type, deliveryId, sequenceId, stepId, name, at, eventId, watermark);
        }
    }
}
