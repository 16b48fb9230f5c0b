package io.sequencer.adapters.json.stored;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.domain.channel.StepMessaging;
import io.sequencer.domain.sequence.Experiment;
import io.sequencer.domain.sequence.SplitPath;
import io.sequencer.domain.sequence.Step;
import io.sequencer.domain.sequence.Variant;
import java.util.ArrayList;
import java.util.List;

/**
 * A sequence's stored steps: an array of step objects, each with its message object embedded as written, and for a
 * step with channels of its own its {@code channel} and {@code fallback} ({@code [{channel, message?}]}), each channel
 * in its type's stored form (names of secrets, never values), and its optional {@code variants} ({@code id},
 * {@code weight}, {@code message}) or {@code split} ({@code weight}, {@code goTo}). Steps stored before steps had
 * channels have neither and read as going on their sequence's channel alone; rows written before variants and
 * splits existed have neither.
 */
final class StoredSteps {
    private StoredSteps() {}

    static ArrayNode write(List<Step> steps, StoredChannelForms channels) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (Step step : steps) {
            ObjectNode node = out.addObject();
            node.put("id", step.id());
            node.set("delay", StoredTiming.writeDelay(step.delay()));
            node.set("message", Json.read(step.message()));
            node.put("enabled", step.enabled());
            step.sendWindow().ifPresent(w -> node.set("sendWindow", StoredTiming.writeWindow(w)));
            StoredRules.writeStepRules(step.rules(), node);
            step.messaging().tag().ifPresent(t -> node.put("tag", t));
            if (!step.messaging().outsideWindow().equals(StepMessaging.SKIP)) {
                node.put("outsideWindow", step.messaging().outsideWindow());
            }
            if (step.messaging().exempt()) {
                node.put("exempt", true);
            }
            StoredRoute.write(step.route(), node, channels);
            writeExperiment(step.experiment(), node);
        }
        return out;
    }

    static List<Step> read(StoredNode in, StoredChannelForms channels) {
        List<Step> steps = new ArrayList<>();
        for (StoredNode node : in.elements()) {
            String id = node.text("id");
            try {
                steps.add(new Step(id, StoredTiming.readDelay(node.child("delay")), Json.write(node.child("message").json()),
                        node.flag("enabled", true), StoredTiming.optionalWindow(node, "sendWindow"),
                        StoredRules.readStepRules(node),
                        StepMessaging.of(node.optionalText("tag"), node.optionalText("outsideWindow"),
                                node.flag("exempt", false)),
                        StoredRoute.read(node, channels), readExperiment(node)));
            } catch (IllegalArgumentException e) {
                throw node.unreadable(e);
            }
        }
        return steps;
    }

    private static void writeExperiment(Experiment experiment, ObjectNode node) {
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
            experiment.split().forEach(p -> split.addObject().put("weight", p.weight()).put("goTo", p.goTo()));
        }
    }

    /** A step's variants and split; none in rows written before they existed. */
    private static Experiment readExperiment(StoredNode step) {
        List<Variant> variants = new ArrayList<>();
        for (StoredNode node : step.elements("variants")) {
            variants.add(new Variant(node.text("id"), Math.toIntExact(node.whole("weight")),
                    Json.write(node.child("message").json())));
        }
        List<SplitPath> split = new ArrayList<>();
        for (StoredNode node : step.elements("split")) {
            split.add(new SplitPath(Math.toIntExact(node.whole("weight")), node.text("goTo")));
        }
        return variants.isEmpty() && split.isEmpty() ? Experiment.NONE : new Experiment(variants, split);
    }
}
