package io.sequencer.adapters.json.stored;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.domain.enrollment.LeaveReason;
import io.sequencer.domain.sequence.Branch;
import io.sequencer.domain.sequence.EventMatch;
import io.sequencer.domain.sequence.ReentryPolicy;
import io.sequencer.domain.sequence.SequenceRules;
import io.sequencer.domain.sequence.StepRules;
import io.sequencer.domain.sequence.Trigger;
import io.sequencer.domain.subscriber.EventType;
import java.util.ArrayList;
import java.util.List;

/** The stored reacting parts: a step's condition, branches and wait; a sequence's re-entry, goals and triggers. */
final class StoredRules {
    private StoredRules() {}

    static void writeStepRules(StepRules rules, ObjectNode step) {
        rules.condition().ifPresent(c -> {
            step.set("condition", StoredCondition.write(c));
            step.put("onConditionFalse", rules.endWhenFalse() ? "end" : "skip");
        });
        if (!rules.branches().isEmpty()) {
            ArrayNode branches = step.putArray("branches");
            rules.branches().forEach(b -> {
                ObjectNode branch = branches.addObject();
                branch.set("if", StoredCondition.write(b.when()));
                branch.put("goTo", b.goTo());
            });
        }
        rules.waitFor().ifPresent(w -> step.set("waitFor", writeEventMatch(w, Json.object())));
    }

    static StepRules readStepRules(StoredNode step) {
        List<Branch> branches = new ArrayList<>();
        for (StoredNode branch : step.elements("branches")) {
            branches.add(new Branch(StoredCondition.read(branch.child("if")), branch.text("goTo")));
        }
        try {
            return new StepRules(step.optionalChild("condition").map(StoredCondition::read),
                    "end".equals(step.optionalText("onConditionFalse").orElse("skip")), branches,
                    step.optionalChild("waitFor").map(StoredRules::readEventMatch));
        } catch (IllegalArgumentException e) {
            throw step.unreadable(e);
        }
    }

    static ObjectNode writeSequenceRules(SequenceRules rules) {
        ObjectNode out = Json.object();
        out.put("reentry", rules.reentry().wireName());
        ArrayNode goals = out.putArray("exitWhen");
        rules.exitWhen().forEach(g -> goals.add(writeEventMatch(g, Json.object())));
        ArrayNode then = out.putArray("then");
        for (Trigger trigger : rules.then()) {
            ObjectNode node = then.addObject();
            if (trigger instanceof Trigger.OnCompleted) {
                node.put("on", "completed");
            } else if (trigger instanceof Trigger.OnLeft left) {
                node.put("on", "left");
                left.reason().ifPresent(r -> node.put("reason", r.wireName()));
            } else {
                node.put("on", "event");
                writeEventMatch(((Trigger.OnEvent) trigger).event(), node);
            }
            node.put("enroll", trigger.enroll());
        }
        if (rules.enrollOnSubscribed()) {
            out.put("enrollOn", "subscribed");
        }
        if (rules.holdout() > 0) {
            out.put("holdout", rules.holdout());
        }
        return out;
    }

    /** Sequence rules; each part left out (as {@code holdout} in rows written before it existed) takes the value a request leaving it out gets. */
    static SequenceRules readSequenceRules(StoredNode in) {
        ReentryPolicy reentry = in.optionalParsed("reentry", name -> ReentryPolicy.fromWireName(name)
                .orElseThrow(() -> new IllegalArgumentException("unknown re-entry policy " + name)))
                .orElse(ReentryPolicy.NEVER);
        List<EventMatch> goals = in.elements("exitWhen").stream().map(StoredRules::readEventMatch).toList();
        List<Trigger> triggers = new ArrayList<>();
        for (StoredNode node : in.elements("then")) {
            String enroll = node.text("enroll");
            String on = node.text("on");
            switch (on) {
                case "completed" -> triggers.add(new Trigger.OnCompleted(enroll));
                case "left" -> triggers.add(new Trigger.OnLeft(
                        node.optionalParsed("reason", LeaveReason::fromWireName), enroll));
                case "event" -> triggers.add(new Trigger.OnEvent(readEventMatch(node), enroll));
                default -> throw node.invalid("on", "is not completed, left or event: " + on);
            }
        }
        try {
            return new SequenceRules(reentry, goals, triggers, "subscribed".equals(in.optionalText("enrollOn")
                    .orElse("")), Math.toIntExact(in.optionalWhole("holdout").orElse(0L)));
        } catch (IllegalArgumentException e) {
            throw in.unreadable(e);
        }
    }

    private static ObjectNode writeEventMatch(EventMatch match, ObjectNode out) {
        out.put("event", match.type().wireName());
        match.stepId().ifPresent(s -> out.put("step", s));
        match.name().ifPresent(n -> out.put("name", n));
        return out;
    }

    private static EventMatch readEventMatch(StoredNode in) {
        EventType type = in.parsed("event", name -> EventType.fromWireName(name)
                .orElseThrow(() -> new IllegalArgumentException("unknown event type " + name)));
        try {
            return new EventMatch(type, in.optionalText("step"), in.optionalText("name"));
        } catch (IllegalArgumentException e) {
            throw in.unreadable(e);
        }
    }
}
