package io.sequencer.adapters.json.stored;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.domain.enrollment.EnrollmentStatus;
import io.sequencer.engine.enrollment.EnrollmentFilter;
import io.sequencer.engine.job.BulkAction;
import io.sequencer.engine.job.Job;
import io.sequencer.engine.job.JobRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A bulk job as one table row: {@code status} and {@code sequenceId} as properties (to read at a glance), and the
 * whole job as chunked JSON {@code job}: its request (listed ids or filter), page, cursor, claimed page, counts,
 * kept errors, failure and times.
 */
public final class StoredJob {
    private StoredJob() {}

    public static Map<String, Object> write(Job job) {
        ObjectNode out = Json.object();
        JobRequest request = job.request();
        out.put("sequenceId", request.sequenceId()).put("action", request.action().wireName());
        request.toStepId().ifPresent(step -> out.put("toStepId", step));
        if (request.selection() instanceof JobRequest.Listed listed) {
            strings(out.putArray("subscriberIds"), listed.subscriberIds());
        } else {
            EnrollmentFilter filter = ((JobRequest.Filtered) request.selection()).filter();
            ObjectNode f = out.putObject("filter");
            ArrayNode status = f.putArray("status");
            filter.statuses().stream().sorted().forEach(s -> status.add(s.wireName()));
            filter.stepId().ifPresent(step -> f.put("stepId", step));
        }
        out.put("page", job.page());
        job.cursor().ifPresent(c -> out.put("cursor", c));
        job.claimed().ifPresent(claim -> {
            ObjectNode c = out.putObject("claimed");
            strings(c.putArray("subscriberIds"), claim.subscriberIds());
            claim.next().ifPresent(n -> c.put("next", n));
            c.put("last", claim.last());
        });
        out.put("done", job.done()).put("processed", job.processed()).put("failed", job.failed());
        ArrayNode errors = out.putArray("errors");
        job.errors().forEach(e -> errors.addObject().put("subscriberId", e.subscriberId()).put("kind", e.kind())
                .put("message", e.message()));
        job.failure().ifPresent(f -> out.put("failure", f));
        out.put("createdAt", job.createdAt().toString()).put("updatedAt", job.updatedAt().toString());
        return new RowWriter().put("sequenceId", request.sequenceId()).put("status", job.status().wireName())
                .putChunked("job", Json.write(out)).properties();
    }

    /** {@code row} (the row's key) only names the row in errors. */
    public static Job read(String account, String id, Map<String, Object> properties) {
        StoredRow stored = new StoredRow("job " + account + "/" + id, properties);
        JsonNode in = StoredNode.parse(stored.what(), "job", stored.chunked("job")).json();
        try {
            JobRequest.Selection selection;
            if (in.has("subscriberIds")) {
                selection = new JobRequest.Listed(strings(in.get("subscriberIds")));
            } else {
                JsonNode f = in.get("filter");
                EnumSet<EnrollmentStatus> statuses = EnumSet.noneOf(EnrollmentStatus.class);
                f.get("status").forEach(s -> statuses.add(EnrollmentStatus.fromWireName(s.textValue())));
                selection = new JobRequest.Filtered(new EnrollmentFilter(statuses, text(f, "stepId")));
            }
            JobRequest request = new JobRequest(in.get("sequenceId").textValue(),
                    BulkAction.fromWireName(in.get("action").textValue()), text(in, "toStepId"), selection);
            Optional<Job.Claim> claimed = Optional.ofNullable(in.get("claimed")).map(c -> new Job.Claim(
                    strings(c.get("subscriberIds")), text(c, "next"), c.get("last").booleanValue()));
            List<Job.ItemError> errors = new ArrayList<>();
            in.get("errors").forEach(e -> errors.add(new Job.ItemError(e.get("subscriberId").textValue(),
                    e.get("kind").textValue(), e.get("message").textValue())));
            return new Job(account, id, request, in.get("page").intValue(), text(in, "cursor"), claimed,
                    in.get("done").booleanValue(), in.get("processed").longValue(), in.get("failed").longValue(), errors,
                    text(in, "failure"), Instant.parse(in.get("createdAt").textValue()),
                    Instant.parse(in.get("updatedAt").textValue()));
        } catch (RuntimeException e) {
            throw new UnreadableStoredForm(stored.what(), "job", "cannot be read: " + e.getMessage());
        }
    }

    private static void strings(ArrayNode into, List<String> values) {
        values.forEach(into::add);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.textValue()));
        return out;
    }

    private static Optional<String> text(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        return node == null || node.isNull() ? Optional.empty() : Optional.of(node.textValue());
    }
}
