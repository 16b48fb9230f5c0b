package io.sequencer.adapters.json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.domain.report.Conversions;
import io.sequencer.domain.report.SequenceReport;
import io.sequencer.domain.report.TwoProportions;
import java.util.Map;

/** A sequence's report as the JSON the report endpoint answers. */
public final class ReportJson {
    private ReportJson() {}

    public static ObjectNode write(SequenceReport report) {
        ObjectNode out = Json.object()
                .put("account", report.account())
                .put("sequenceId", report.sequenceId())
                .put("name", report.name())
                .put("generatedAt", report.generatedAt().toString());
        out.put("from", report.from().map(Object::toString).orElse(null));
        out.put("to", report.to().map(Object::toString).orElse(null));

        SequenceReport.EnrollmentFigures e = report.enrollments();
        ObjectNode enrollments = out.putObject("enrollments")
                .put("enrolled", e.enrolled())
                .put("active", e.active())
                .put("completed", e.completed())
                .put("restarted", e.restarted());
        withTotal(enrollments.putObject("left"), e.leftTotal(), e.left());

        ArrayNode steps = out.putArray("steps");
        for (SequenceReport.StepFigures s : report.steps()) {
            ObjectNode step = steps.addObject().put("stepId", s.stepId());
            step.put("position", s.position().orElse(null));
            step.put("waiting", s.waiting())
                    .put("scheduled", s.scheduled())
                    .put("sent", s.sent())
                    .put("delivered", s.delivered())
                    .put("read", s.read())
                    .put("clicked", s.clicked())
                    .put("replied", s.replied());
            withTotal(step.putObject("failed"), s.failedTotal(), s.failed());
            withTotal(step.putObject("skipped"), s.skippedTotal(), s.skipped());
            step.put("readRate", s.readRate().orElse(null));
            step.put("clickRate", s.clickRate().orElse(null));
            step.put("medianSecondsToStep", s.medianTimeToStep().map(d -> d.toMillis() / 1000.0).orElse(null));
            s.sentByChannel().forEach(step.putObject("sentByChannel")::put);
            step.put("converted", s.converted())
                    .put("unsubscribed", s.unsubscribed())
                    .put("conversionRate", s.conversionRate().orElse(null))
                    .put("unsubscribeRate", s.unsubscribeRate().orElse(null));
            ArrayNode variants = step.putArray("variants");
            for (Conversions.VariantFigures v : s.variants()) {
                ObjectNode variant = variants.addObject().put("id", v.id());
                variant.put("weight", v.weight().orElse(null));
                variant.put("exposed", v.exposed())
                        .put("clicked", v.clicked())
                        .put("converted", v.converted())
                        .put("unsubscribed", v.unsubscribed())
                        .put("clickRate", v.clickRate().orElse(null))
                        .put("conversionRate", v.conversionRate().orElse(null))
                        .put("unsubscribeRate", v.unsubscribeRate().orElse(null));
                v.versusFirst().ifPresentOrElse(t -> variant.set("versusFirst", comparison(t)),
                        () -> variant.putNull("versusFirst"));
            }
        }
        report.sentByChannel().forEach(out.putObject("sentByChannel")::put);

        ArrayNode days = out.putArray("days");
        for (SequenceReport.DayFigures d : report.days()) {
            days.addObject()
                    .put("day", d.day().toString())
                    .put("enrolled", d.enrolled())
                    .put("completed", d.completed())
                    .put("left", d.left())
                    .put("sent", d.sent())
                    .put("delivered", d.delivered())
                    .put("read", d.read())
                    .put("clicked", d.clicked())
                    .put("failed", d.failed())
                    .put("skipped", d.skipped());
        }

        ObjectNode poisoned = out.putObject("poisoned").put("count", report.poisoned().count());
        poisoned.put("lastError", report.poisoned().lastError().orElse(null));
        poisoned.put("lastAt", report.poisoned().lastAt().map(Object::toString).orElse(null));
        report.holdout().ifPresentOrElse(h -> {
            ObjectNode holdout = out.putObject("holdout")
                    .put("percent", h.percent())
                    .put("heldOut", h.heldOut())
                    .put("heldOutConverted", h.heldOutConverted())
                    .put("treated", h.treated())
                    .put("treatedConverted", h.treatedConverted());
            holdout.put("heldOutRate", h.heldOutRate().orElse(null));
            holdout.put("treatedRate", h.treatedRate().orElse(null));
            holdout.set("lift", comparison(h.lift()));
        }, () -> out.putNull("holdout"));
        return out;
    }

    /** A two-proportion comparison: its figures, or why there are none yet. */
    static ObjectNode comparison(TwoProportions.Outcome outcome) {
        ObjectNode out = Json.object();
        if (outcome instanceof TwoProportions.NotEnoughData none) {
            out.put("status", "not_enough_data").put("reason", none.reason());
        } else {
            TwoProportions.Compared c = (TwoProportions.Compared) outcome;
            out.put("status", "compared")
                    .put("difference", round(c.difference()))
                    .put("lower", round(c.lower()))
                    .put("upper", round(c.upper()));
            out.put("relativeLift", c.relativeLift().map(ReportJson::round).orElse(null));
            out.put("z", round(c.z()))
                    .put("pValue", round(c.pValue()))
                    .put("significant", c.significant());
        }
        return out;
    }

    private static double round(double value) {
        return Math.round(value * 10_000.0) / 10_000.0;
    }

    private static void withTotal(ObjectNode node, long total, Map<String, Long> parts) {
        node.put("total", total);
        parts.forEach(node::put);
    }
}
