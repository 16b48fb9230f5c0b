package io.sequencer.adapters.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.domain.channel.ChannelRoute;
import io.sequencer.domain.channel.StepMessaging;
import io.sequencer.domain.sequence.Delay;
import io.sequencer.domain.sequence.Experiment;
import io.sequencer.domain.sequence.SendWindow;
import io.sequencer.domain.sequence.Sequence;
import io.sequencer.domain.sequence.SequenceDraft;
import io.sequencer.domain.sequence.SequenceRules;
import io.sequencer.domain.sequence.Step;
import io.sequencer.domain.sequence.StepRules;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Maps sequence definitions between the HTTP API's JSON and domain values, validating every field. The stored form
 * is {@code stored.StoredSequence}'s, which applies none of these request rules.
 */
public final class SequenceJson {
    public static final int MAX_NAME = 200;
    /** What the sequence table can hold for steps (see stored.RowWriter); a body within 256 KiB stays well below. */
    static final int MAX_STORED_STEPS_CHARS = 400_000;
    /** Fields a GET returns; a client may send them back in a PUT and they are ignored. */
    private static final Set<String> READ_ONLY = Set.of("id", "account", "version", "status", "createdAt", "updatedAt");
    private static final Set<String> TOP = union(union(Set.of("name", "steps", "channel", "timezone", "sendWindow"),
            RulesJson.SEQUENCE_FIELDS), READ_ONLY);
    private static final Set<String> STEP = union(union(Set.of("id", "delay", "message", "enabled", "sendWindow", "tag",
            "exempt", "outsideWindow", RouteJson.CHANNEL, RouteJson.FALLBACK), RulesJson.STEP_FIELDS),
            ExperimentJson.STEP_FIELDS);

    private SequenceJson() {}

    /**
     * Parses a PUT body, its channel by the form of its channel type.
     * @throws io.sequencer.domain.Invalid naming every bad field
     */
    public static SequenceDraft parse(String body, ChannelForms channels) {
        JsonNode root = Json.parseBody(body);
        FieldReader in = new FieldReader();
        if (in.object(root, "body", true) == null) {
            in.throwIfInvalid();
        }
        in.rejectUnknown(root, "", TOP);
        String name = in.string(root, "name", "name", true, MAX_NAME);
        ChannelConfig channel = channels.read(root.get("channel"), in);
        List<Step> steps = steps(root.get("steps"), channel, channels, in);
        Optional<ZoneId> timezone = TimingJson.timezone(root, "timezone", "timezone", in);
        Optional<SendWindow> window = TimingJson.window(root.get("sendWindow"), "sendWindow", in);
        SequenceRules rules = RulesJson.sequenceRules(root, in);
        if (!in.hasErrors()) {
            SequenceDraft.referenceProblems(steps, rules).forEach(p -> in.fail(p.field(), p.reason()));
        }
        if (!in.hasErrors() && Json.write(writeSteps(steps, channels)).length() > MAX_STORED_STEPS_CHARS) {
            in.fail("steps", "are too large to store (" + MAX_STORED_STEPS_CHARS + " characters at most)");
        }
        in.throwIfInvalid();
        return new SequenceDraft(name, steps, channel, timezone, window, rules);
    }

    /** The steps at {@code node}, each message checked against its channels ({@code channel}: the sequence's). */
    private static List<Step> steps(JsonNode node, ChannelConfig channel, ChannelForms channels, FieldReader in) {
        List<Step> steps = new ArrayList<>();
        if (node == null || node.isNull()) {
            in.fail("steps", "is required");
            return steps;
        }
        if (!node.isArray()) {
            in.fail("steps", "must be an array");
            return steps;
        }
        if (node.isEmpty()) {
            in.fail("steps", "must have at least one step");
            return steps;
        }
        if (node.size() > Sequence.MAX_STEPS) {
            in.fail("steps", "must have at most " + Sequence.MAX_STEPS + " steps");
            return steps;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String path = "steps[" + i + "]";
            JsonNode step = in.object(node.get(i), path, true);
            if (step == null) {
                continue;
            }
            in.rejectUnknown(step, path, STEP);
            String id = in.id(step, "id", path + ".id");
            if (id != null && !seen.add(id)) {
                in.fail(path + ".id", "duplicates the id of an earlier step");
            }
            Delay delay = TimingJson.delay(step.get("delay"), path + ".delay", in);
            JsonNode message = in.object(step.get("message"), path + ".message", true);
            boolean enabled = true;
            JsonNode enabledNode = step.get("enabled");
            if (enabledNode != null && !enabledNode.isNull()) {
                if (!enabledNode.isBoolean()) {
                    in.fail(path + ".enabled", "must be true or false");
                } else {
                    enabled = enabledNode.booleanValue();
                }
            }
            Optional<SendWindow> window = TimingJson.window(step.get("sendWindow"), path + ".sendWindow", in);
            StepRules rules = RulesJson.stepRules(step, path, in);
            StepMessaging messaging = messaging(step, path, in);
            ChannelRoute route = RouteJson.read(step, path, true, channels, in);
            checkMessagesFit(step, path, route, channel, channels, in);
            Experiment experiment = ExperimentJson.parse(step, path, in);
            if (id != null && delay != null && message != null && !in.hasErrors()) {
                steps.add(new Step(id, delay, Json.write(message), enabled, window, rules, messaging, route, experiment));
            }
        }
        return steps;
    }

    private static StepMessaging messaging(JsonNode step, String path, FieldReader in) {
        String tag = in.string(step, "tag", path + ".tag", false, 64);
        if (tag != null && !StepMessaging.TAGS.contains(tag)) {
            in.fail(path + ".tag", "must be one of " + String.join(", ", new java.util.TreeSet<>(StepMessaging.TAGS)));
            tag = null;
        }
        String outside = in.string(step, "outsideWindow", path + ".outsideWindow", false, 32);
        if (outside != null && !StepMessaging.OUTSIDE_WINDOW.contains(outside)) {
            in.fail(path + ".outsideWindow", "must be skip, hold or marketing_message");
        }
        boolean exempt = in.flag(step, "exempt", path + ".exempt", false);
        return StepMessaging.of(Optional.ofNullable(tag), Optional.ofNullable(outside), exempt);
    }

    /**
     * Messages must be what their channels can send (the step's own, else the sequence's, and each fallback); the
     * messaging window's step fields only where one of them has a window.
     */
    private static void checkMessagesFit(JsonNode step, String path, ChannelRoute route, ChannelConfig channel,
                                         ChannelForms channels, FieldReader in) {
        if (channel == null && route.channel().isEmpty()) {
            return;
        }
        if (!RouteJson.hasMessagingWindow(route, channel, channels)) {
            for (String field : List.of("tag", "outsideWindow")) {
                if (step.hasNonNull(field)) {
                    in.fail(path + "." + field, "applies to Messenger steps only");
                }
            }
        }
        RouteJson.checkMessagesFit(step, path, route, channel, channels, in);
        // A variant's message goes on the step's own channel (or the sequence's), as the step's message does.
        ChannelConfig first = route.channel().orElse(channel);
        ExperimentJson.forEachVariantMessage(step, path, (variant, at) -> channels.checkMessageFits(variant, first, at, in));
    }

    /** The API representation of a stored sequence. Never contains secret values, only setting names. */
    public static ObjectNode write(Sequence sequence, ChannelForms channels) {
        ObjectNode out = Json.object();
        out.put("id", sequence.id());
        out.put("account", sequence.account());
        out.put("name", sequence.name());
        out.put("version", sequence.version());
        out.put("status", sequence.status().wireName());
        sequence.timezone().ifPresent(z -> out.put("timezone", z.getId()));
        sequence.sendWindow().ifPresent(w -> out.set("sendWindow", TimingJson.writeWindow(w)));
        out.put("createdAt", sequence.createdAt().toString());
        out.put("updatedAt", sequence.updatedAt().toString());
        out.set("channel", channels.write(sequence.channel()));
        RulesJson.writeSequenceRules(sequence.rules(), out);
        out.set("steps", writeSteps(sequence.steps(), channels));
        return out;
    }


    public static ArrayNode writeSteps(List<Step> steps, ChannelForms channels) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (Step step : steps) {
            ObjectNode node = out.addObject();
            node.put("id", step.id());
            node.set("delay", TimingJson.writeDelay(step.delay()));
            node.set("message", Json.read(step.message()));
            node.put("enabled", step.enabled());
            step.sendWindow().ifPresent(w -> node.set("sendWindow", TimingJson.writeWindow(w)));
            RulesJson.writeStepRules(step.rules(), node);
            step.messaging().tag().ifPresent(t -> node.put("tag", t));
            if (!step.messaging().outsideWindow().equals(StepMessaging.SKIP)) {
                node.put("outsideWindow", step.messaging().outsideWindow());
            }
            if (step.messaging().exempt()) {
                node.put("exempt", true);
            }
            RouteJson.write(step.route(), node, channels);
            ExperimentJson.write(step.experiment(), node);
        }
        return out;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
