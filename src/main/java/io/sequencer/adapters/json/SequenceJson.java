package io.sequencer.adapters.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.domain.ChannelConfig;
import io.sequencer.domain.Delay;
import io.sequencer.domain.SendWindow;
import io.sequencer.domain.Sequence;
import io.sequencer.domain.SequenceDraft;
import io.sequencer.domain.SequenceRules;
import io.sequencer.domain.Step;
import io.sequencer.domain.StepRules;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Maps sequence definitions between the HTTP API's JSON and domain values, validating every field. */
public final class SequenceJson {
    public static final int MAX_NAME = 200;
    /** What the sequence table can hold for steps (see ChunkedText); a body within 256 KiB stays well below. */
    static final int MAX_STORED_STEPS_CHARS = 400_000;
    private static final Pattern SETTING_NAME = Pattern.compile("[A-Za-z0-9_]{1,128}");
    /** Fields a GET returns; a client may send them back in a PUT and they are ignored. */
    private static final Set<String> READ_ONLY = Set.of("id", "account", "version", "status", "createdAt", "updatedAt");
    private static final Set<String> TOP = union(union(Set.of("name", "steps", "channel", "timezone", "sendWindow"),
            RulesJson.SEQUENCE_FIELDS), READ_ONLY);
    private static final Set<String> STEP = union(Set.of("id", "delay", "message", "enabled", "sendWindow"),
            RulesJson.STEP_FIELDS);
    private static final Set<String> WEBHOOK = Set.of("type", "url", "secretSetting");

    private SequenceJson() {}

    /** Parses a PUT body. @throws io.sequencer.domain.Invalid naming every bad field */
    public static SequenceDraft parse(String body) {
        JsonNode root = Json.parseBody(body);
        FieldReader in = new FieldReader();
        if (in.object(root, "body", true) == null) {
            in.throwIfInvalid();
        }
        in.rejectUnknown(root, "", TOP);
        String name = in.string(root, "name", "name", true, MAX_NAME);
        List<Step> steps = steps(root.get("steps"), in);
        ChannelConfig channel = channel(root.get("channel"), in);
        Optional<ZoneId> timezone = TimingJson.timezone(root, "timezone", "timezone", in);
        Optional<SendWindow> window = TimingJson.window(root.get("sendWindow"), "sendWindow", in);
        SequenceRules rules = RulesJson.sequenceRules(root, in);
        if (!in.hasErrors()) {
            SequenceDraft.referenceProblems(steps, rules).forEach(p -> in.fail(p.field(), p.reason()));
        }
        if (!in.hasErrors() && Json.write(writeSteps(steps)).length() > MAX_STORED_STEPS_CHARS) {
            in.fail("steps", "are too large to store (" + MAX_STORED_STEPS_CHARS + " characters at most)");
        }
        in.throwIfInvalid();
        return new SequenceDraft(name, steps, channel, timezone, window, rules);
    }

    private static List<Step> steps(JsonNode node, FieldReader in) {
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
            if (id != null && delay != null && message != null && !in.hasErrors()) {
                steps.add(new Step(id, delay, Json.write(message), enabled, window, rules));
            }
        }
        return steps;
    }

    private static ChannelConfig channel(JsonNode node, FieldReader in) {
        if (in.object(node, "channel", true) == null) {
            return null;
        }
        String type = in.string(node, "type", "channel.type", true, 32);
        if (type == null) {
            return null;
        }
        if (!type.equals("webhook")) {
            in.fail("channel.type", "must be one of webhook");
            return null;
        }
        in.rejectUnknown(node, "channel", WEBHOOK);
        String url = in.string(node, "url", "channel.url", true, 2048);
        String secretSetting = secretSetting(node, "channel.secretSetting", in);
        URI uri = url == null ? null : webhookUrl(url, "channel.url", in);
        return uri == null ? null : new ChannelConfig.Webhook(uri, Optional.ofNullable(secretSetting));
    }

    /** The optional name of the app setting holding a signing secret, checked at {@code path}. */
    static String secretSetting(JsonNode node, String path, FieldReader in) {
        String name = in.string(node, "secretSetting", path, false, 128);
        if (name != null && !SETTING_NAME.matcher(name).matches()) {
            in.fail(path, "must be an app setting name: letters, digits and '_'");
            return null;
        }
        return name;
    }

    /** {@code url} when it is an absolute http(s) URL without credentials; else null, with the problem on {@code path}. */
    static URI webhookUrl(String url, String path, FieldReader in) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                in.fail(path, "must be an absolute http or https URL");
                return null;
            }
            if (okhttp3.HttpUrl.parse(url) == null || uri.getPort() == 0 || uri.getPort() > 65535) {
                in.fail(path, "is not a valid http or https URL");
                return null;
            }
            if (uri.getUserInfo() != null) {
                in.fail(path, "must not carry credentials; use secretSetting to sign requests");
                return null;
            }
            return uri;
        } catch (URISyntaxException e) {
            in.fail(path, "is not a valid URL");
            return null;
        }
    }

    /** The API representation of a stored sequence. Never contains secret values, only setting names. */
    public static ObjectNode write(Sequence sequence) {
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
        out.set("channel", writeChannel(sequence.channel()));
        RulesJson.writeSequenceRules(sequence.rules(), out);
        out.set("steps", writeSteps(sequence.steps()));
        return out;
    }

    public static ObjectNode writeChannel(ChannelConfig channel) {
        ObjectNode out = Json.object();
        if (channel instanceof ChannelConfig.Webhook webhook) {
            out.put("type", "webhook");
            out.put("url", webhook.url().toString());
            webhook.secretSetting().ifPresent(s -> out.put("secretSetting", s));
        }
        return out;
    }

    public static ArrayNode writeSteps(List<Step> steps) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (Step step : steps) {
            ObjectNode node = out.addObject();
            node.put("id", step.id());
            node.set("delay", TimingJson.writeDelay(step.delay()));
            node.set("message", Json.read(step.message()));
            node.put("enabled", step.enabled());
            step.sendWindow().ifPresent(w -> node.set("sendWindow", TimingJson.writeWindow(w)));
            RulesJson.writeStepRules(step.rules(), node);
        }
        return out;
    }

    /** Reads steps as written by {@link #writeSteps}, through the same rules as a request. */
    public static List<Step> readStoredSteps(String text) {
        FieldReader in = new FieldReader();
        List<Step> steps = steps(Json.read(text), in);
        in.throwIfInvalid();
        return steps;
    }

    /** Reads a window as written by {@link #writeWindow}. */
    public static Optional<SendWindow> readStoredWindow(String text) {
        FieldReader in = new FieldReader();
        Optional<SendWindow> window = TimingJson.window(Json.read(text), "sendWindow", in);
        in.throwIfInvalid();
        return window;
    }

    public static ObjectNode writeWindow(SendWindow window) {
        return TimingJson.writeWindow(window);
    }

    public static String writeRules(SequenceRules rules) {
        ObjectNode out = Json.object();
        RulesJson.writeSequenceRules(rules, out);
        return Json.write(out);
    }

    /** Reads rules as written by {@link #writeRules}, through the same rules as a request. */
    public static SequenceRules readStoredRules(String text) {
        FieldReader in = new FieldReader();
        SequenceRules rules = RulesJson.sequenceRules(Json.read(text), in);
        in.throwIfInvalid();
        return rules;
    }

    public static ChannelConfig readStoredChannel(String text) {
        JsonNode node = Json.read(text);
        String type = node.get("type").textValue();
        if (type.equals("webhook")) {
            JsonNode secret = node.get("secretSetting");
            return new ChannelConfig.Webhook(URI.create(node.get("url").textValue()),
                    Optional.ofNullable(secret == null ? null : secret.textValue()));
        }
        throw new IllegalStateException("stored channel has unknown type " + type);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
