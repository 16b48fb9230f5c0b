package io.sequencer.adapters.json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.domain.report.SequenceReport;
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
        return out;
    }

    private static void withTotal(ObjectNode node, long total, Map<String, Long> parts) {
        node.put("total", total);
        parts.forEach(node::put);
    }
}
