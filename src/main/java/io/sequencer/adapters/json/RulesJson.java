package io.sequencer.adapters.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.domain.enrollment.LeaveReason;
import io.sequencer.domain.sequence.Branch;
import io.sequencer.domain.sequence.Condition;
import io.sequencer.domain.sequence.EventMatch;
import io.sequencer.domain.sequence.ReentryPolicy;
import io.sequencer.domain.sequence.SequenceRules;
import io.sequencer.domain.sequence.StepRules;
import io.sequencer.domain.sequence.Trigger;
import io.sequencer.domain.subscriber.EventType;
import io.sequencer.domain.subscriber.SubscriberEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Maps the reacting parts of a sequence (step conditions, branches, waits; goals, triggers, re-entry) to JSON. */
final class RulesJson {
    static final Set<String> STEP_FIELDS = Set.of("condition", "onConditionFalse", "branches", "waitFor");
    static final Set<String> SEQUENCE_FIELDS = Set.of("reentry", "exitWhen", "then", "enrollOn", "holdout");
    private static final Set<String> EVENT_MATCH = Set.of("event", "step", "name");
    private static final Set<String> BRANCH = Set.of("if", "goTo");
    private static final Set<String> TRIGGER_EVENT = Set.of("on", "event", "step", "name", "enroll");
    private static final Set<String> TRIGGER_LEFT = Set.of("on", "reason", "enroll");
    private static final Set<String> TRIGGER_COMPLETED = Set.of("on", "enroll");
    private static final String EVENT_TYPES = Arrays.stream(EventType.values()).filter(t -> !t.isSubscriberLevel())
            .map(EventType::wireName).collect(Collectors.joining(", "));

    private RulesJson() {}

    static StepRules stepRules(JsonNode step, String path, FieldReader in) {
        JsonNode conditionNode = step.get("condition");
        Optional<Condition> condition = conditionNode == null || conditionNode.isNull() ? Optional.empty()
                : Optional.ofNullable(ConditionJson.parse(conditionNode, path + ".condition", in));
        String onFalse = in.string(step, "onConditionFalse", path + ".onConditionFalse", false, 16);
        boolean endWhenFalse = false;
        if (onFalse != null) {
            if (!onFalse.equals("skip") && !onFalse.equals("end")) {
                in.fail(path + ".onConditionFalse", "must be skip or end");
            } else if (conditionNode == null || conditionNode.isNull()) {
                in.fail(path + ".onConditionFalse", "needs a condition");
            } else {
                endWhenFalse = onFalse.equals("end");
            }
        }
        List<Branch> branches = new ArrayList<>();
        JsonNode branchNodes = array(step.get("branches"), path + ".branches", StepRules.MAX_BRANCHES, in);
        for (int b = 0; branchNodes != null && b < branchNodes.size(); b++) {
            String at = path + ".branches[" + b + "]";
            JsonNode node = in.object(branchNodes.get(b), at, true);
            if (node == null) {
                continue;
            }
            in.rejectUnknown(node, at, BRANCH);
            Condition when = node.get("if") == null ? null : ConditionJson.parse(node.get("if"), at + ".if", in);
            if (node.get("if") == null) {
                in.fail(at + ".if", "is required");
            }
            String goTo = in.id(node, "goTo", at + ".goTo");
            if (when != null && goTo != null) {
                branches.add(new Branch(when, goTo));
            }
        }
        Optional<EventMatch> waitFor = Optional.empty();
        JsonNode waitNode = step.get("waitFor");
        if (waitNode != null && !waitNode.isNull()) {
            waitFor = Optional.ofNullable(eventMatch(waitNode, path + ".waitFor", in));
        }
        return in.hasErrors() ? StepRules.NONE : new StepRules(condition, endWhenFalse, branches, waitFor);
    }

    static SequenceRules sequenceRules(JsonNode root, FieldReader in) {
        ReentryPolicy reentry = ReentryPolicy.NEVER;
        String reentryName = in.string(root, "reentry", "reentry", false, 32);
        if (reentryName != null) {
            reentry = ReentryPolicy.fromWireName(reentryName).orElse(null);
            if (reentry == null) {
                in.fail("reentry", "must be one of never, after_completion, always");
                reentry = ReentryPolicy.NEVER;
            }
        }
        List<EventMatch> goals = new ArrayList<>();
        JsonNode goalNodes = array(root.get("exitWhen"), "exitWhen", SequenceRules.MAX_GOALS, in);
        for (int g = 0; goalNodes != null && g < goalNodes.size(); g++) {
            EventMatch goal = eventMatch(goalNodes.get(g), "exitWhen[" + g + "]", in);
            if (goal != null) {
                goals.add(goal);
            }
        }
        List<Trigger> triggers = new ArrayList<>();
        JsonNode triggerNodes = array(root.get("then"), "then", SequenceRules.MAX_TRIGGERS, in);
        for (int t = 0; triggerNodes != null && t < triggerNodes.size(); t++) {
            Trigger trigger = trigger(triggerNodes.get(t), "then[" + t + "]", in);
            if (trigger != null) {
                triggers.add(trigger);
            }
        }
        boolean welcome = false;
        String enrollOn = in.string(root, "enrollOn", "enrollOn", false, 32);
        if (enrollOn != null) {
            if (enrollOn.equals("subscribed")) {
                welcome = true;
            } else {
                in.fail("enrollOn", "must be subscribed (new subscribers of the account start this sequence)");
            }
        }
        int holdout = 0;
        JsonNode holdoutNode = root.get("holdout");
        if (holdoutNode != null && !holdoutNode.isNull()) {
            if (!holdoutNode.isIntegralNumber() || holdoutNode.longValue() < 0
                    || holdoutNode.longValue() > SequenceRules.MAX_HOLDOUT) {
                in.fail("holdout", "must be a whole per cent from 0 to " + SequenceRules.MAX_HOLDOUT);
            } else {
                holdout = holdoutNode.intValue();
            }
        }
        return in.hasErrors() ? SequenceRules.NONE : new SequenceRules(reentry, goals, triggers, welcome, holdout);
    }

    private static JsonNode array(JsonNode node, String path, int max, FieldReader in) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            in.fail(path, "must be an array");
            return null;
        }
        if (node.size() > max) {
            in.fail(path, "must have at most " + max + " entries");
            return null;
        }
        return node;
    }

    private static EventMatch eventMatch(JsonNode raw, String path, FieldReader in) {
        JsonNode node = in.object(raw, path, true);
        if (node == null) {
            return null;
        }
        in.rejectUnknown(node, path, EVENT_MATCH);
        return eventMatchFields(node, path, in);
    }

    private static EventMatch eventMatchFields(JsonNode node, String path, FieldReader in) {
        EventType type = eventType(node, "event", path + ".event", in);
        Optional<String> step = node.get("step") == null ? Optional.empty()
                : Optional.ofNullable(in.id(node, "step", path + ".step"));
        Optional<String> name = Optional.ofNullable(in.string(node, "name", path + ".name", false, SubscriberEvent.MAX_NAME));
        if (type != null && step.isPresent() && type.engagement().isEmpty()) {
            in.fail(path + ".step", "only delivered, read, clicked and replied events concern a step");
            return null;
        }
        return type == null || (node.get("step") != null && step.isEmpty()) ? null : new EventMatch(type, step, name);
    }

    private static EventType eventType(JsonNode node, String field, String path, FieldReader in) {
        String name = in.string(node, field, path, true, 32);
        if (name == null) {
            return null;
        }
        Optional<EventType> type = EventType.fromWireName(name).filter(t -> !t.isSubscriberLevel());
        if (type.isEmpty()) {
            in.fail(path, "must be one of " + EVENT_TYPES);
        }
        return type.orElse(null);
    }

    private static Trigger trigger(JsonNode raw, String path, FieldReader in) {
        JsonNode node = in.object(raw, path, true);
        if (node == null) {
            return null;
        }
        String on = in.string(node, "on", path + ".on", true, 16);
        if (on == null) {
            return null;
        }
        String enroll;
        switch (on) {
            case "completed" -> {
                in.rejectUnknown(node, path, TRIGGER_COMPLETED);
                enroll = in.id(node, "enroll", path + ".enroll");
                return enroll == null ? null : new Trigger.OnCompleted(enroll);
            }
            case "left" -> {
                in.rejectUnknown(node, path, TRIGGER_LEFT);
                enroll = in.id(node, "enroll", path + ".enroll");
                String reasonName = in.string(node, "reason", path + ".reason", false, 16);
                Optional<LeaveReason> reason = Optional.empty();
                if (reasonName != null) {
                    reason = Optional.of(reasonName).filter(r -> r.equals("unsubscribed") || r.equals("goal"))
                            .map(LeaveReason::fromWireName);
                    if (reason.isEmpty()) {
                        in.fail(path + ".reason", "must be unsubscribed or goal");
                        return null;
                    }
                }
                return enroll == null ? null : new Trigger.OnLeft(reason, enroll);
            }
            case "event" -> {
                in.rejectUnknown(node, path, TRIGGER_EVENT);
                enroll = in.id(node, "enroll", path + ".enroll");
                EventMatch match = eventMatchFields(node, path, in);
                return enroll == null || match == null ? null : new Trigger.OnEvent(match, enroll);
            }
            default -> {
                in.fail(path + ".on", "must be completed, left or event");
                return null;
            }
        }
    }

    static void writeStepRules(StepRules rules, ObjectNode step) {
        rules.condition().ifPresent(c -> {
            step.set("condition", ConditionJson.write(c));
            step.put("onConditionFalse", rules.endWhenFalse() ? "end" : "skip");
        });
        if (!rules.branches().isEmpty()) {
            ArrayNode branches = step.putArray("branches");
            for (Branch branch : rules.branches()) {
                ObjectNode node = branches.addObject();
                node.set("if", ConditionJson.write(branch.when()));
                node.put("goTo", branch.goTo());
            }
        }
        rules.waitFor().ifPresent(w -> step.set("waitFor", writeEventMatch(w, Json.object())));
    }

    /** The sequence rules as API fields on {@code out}; defaults are written too, so a GET shows them. */
    static void writeSequenceRules(SequenceRules rules, ObjectNode out) {
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
            } else if (trigger instanceof Trigger.OnEvent onEvent) {
                node.put("on", "event");
                writeEventMatch(onEvent.event(), node);
            }
            node.put("enroll", trigger.enroll());
        }
        if (rules.enrollOnSubscribed()) {
            out.put("enrollOn", "subscribed");
        }
        if (rules.holdout() > 0) {
            out.put("holdout", rules.holdout());
        }
    }

    private static ObjectNode writeEventMatch(EventMatch match, ObjectNode out) {
        out.put("event", match.type().wireName());
        match.stepId().ifPresent(s -> out.put("step", s));
        match.name().ifPresent(n -> out.put("name", n));
        return out;
    }
}
