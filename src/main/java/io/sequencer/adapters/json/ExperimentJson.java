package io.sequencer.adapters.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.domain.sequence.Experiment;
import io.sequencer.domain.sequence.SplitPath;
import io.sequencer.domain.sequence.Variant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/** Maps a step's A/B {@code variants} and branching {@code split} between the API's JSON and {@link Experiment}. */
final class ExperimentJson {
    static final Set<String> STEP_FIELDS = Set.of("variants", "split");
    private static final Set<String> VARIANT = Set.of("id", "weight", "message");
    private static final Set<String> PATH = Set.of("weight", "goTo");

    private ExperimentJson() {}

    /** The step's experiment; {@link Experiment#NONE} when it has none or any of its fields is bad. */
    static Experiment parse(JsonNode step, String path, FieldReader in) {
        int before = in.errorCount();
        JsonNode variantNodes = arms(step.get("variants"), path + ".variants", in);
        JsonNode splitNodes = arms(step.get("split"), path + ".split", in);
        if (variantNodes != null && splitNodes != null) {
            in.fail(path + ".split", "a step has variants or a split, not both");
            return Experiment.NONE;
        }
        List<Variant> variants = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int v = 0; variantNodes != null && v < variantNodes.size(); v++) {
            String at = path + ".variants[" + v + "]";
            JsonNode node = in.object(variantNodes.get(v), at, true);
            if (node == null) {
                continue;
            }
            in.rejectUnknown(node, at, VARIANT);
            String id = in.id(node, "id", at + ".id");
            if (id != null && !ids.add(id)) {
                in.fail(at + ".id", "duplicates the id of an earlier variant");
            }
            Integer weight = weight(node, at, in);
            JsonNode message = in.object(node.get("message"), at + ".message", true);
            if (id != null && weight != null && message != null) {
                variants.add(new Variant(id, weight, Json.write(message)));
            }
        }
        List<SplitPath> split = new ArrayList<>();
        Set<String> targets = new HashSet<>();
        for (int p = 0; splitNodes != null && p < splitNodes.size(); p++) {
            String at = path + ".split[" + p + "]";
            JsonNode node = in.object(splitNodes.get(p), at, true);
            if (node == null) {
                continue;
            }
            in.rejectUnknown(node, at, PATH);
            Integer weight = weight(node, at, in);
            String goTo = in.id(node, "goTo", at + ".goTo");
            if (goTo != null && !targets.add(goTo)) {
                in.fail(at + ".goTo", "names the same step as an earlier path");
            }
            if (weight != null && goTo != null) {
                split.add(new SplitPath(weight, goTo));
            }
        }
        return in.errorCount() > before ? Experiment.NONE : new Experiment(variants, split);
    }

    private static JsonNode arms(JsonNode node, String path, FieldReader in) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            in.fail(path, "must be an array");
            return null;
        }
        if (node.size() < 2 || node.size() > Experiment.MAX_ARMS) {
            in.fail(path, "must have 2 to " + Experiment.MAX_ARMS + " entries");
            return null;
        }
        return node;
    }

    private static Integer weight(JsonNode node, String at, FieldReader in) {
        JsonNode weight = node.get("weight");
        if (weight == null || weight.isNull()) {
            in.fail(at + ".weight", "is required");
            return null;
        }
        if (!weight.isIntegralNumber() || weight.longValue() < 1 || weight.longValue() > Experiment.MAX_WEIGHT) {
            in.fail(at + ".weight", "must be a whole number from 1 to " + Experiment.MAX_WEIGHT);
            return null;
        }
        return weight.intValue();
    }

    /** The variants' messages, each with the path a problem with it is named by. */
    static void forEachVariantMessage(JsonNode step, String path, BiConsumer<JsonNode, String> check) {
        JsonNode variants = step.get("variants");
        if (variants == null || !variants.isArray()) {
            return;
        }
        for (int v = 0; v < variants.size(); v++) {
            JsonNode message = variants.get(v) == null ? null : variants.get(v).get("message");
            if (message != null && message.isObject()) {
                check.accept(message, path + ".variants[" + v + "].message");
            }
        }
    }

    /** Adds the experiment's fields to {@code node}, none when there is none. */
    static void write(Experiment experiment, ObjectNode node) {
        if (!experiment.variants().isEmpty()) {
            ArrayNode variants = node.putArray("variants");
            for (Variant variant : experiment.variants()) {
                ObjectNode out = variants.addObject();
                out.put("id", variant.id());
                out.put("weight", variant.weight());
                out.set("message", Json.read(variant.message()));
            }
        }
        if (!experiment.split().isEmpty()) {
            ArrayNode split = node.putArray("split");
            for (SplitPath path : experiment.split()) {
                split.addObject().put("weight", path.weight()).put("goTo", path.goTo());
            }
        }
    }
}
