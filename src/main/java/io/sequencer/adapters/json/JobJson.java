package io.sequencer.adapters.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.domain.Invalid;
import io.sequencer.domain.enrollment.EnrollmentStatus;
import io.sequencer.engine.enrollment.EnrollmentFilter;
import io.sequencer.engine.job.BulkAction;
import io.sequencer.engine.job.Job;
import io.sequencer.engine.job.JobPage;
import io.sequencer.engine.job.JobRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Bulk jobs on the wire: the request of {@code subscribers:leave} and {@code subscribers:move}, a job as the API
 * shows it, and the queue message of a job's page (a small JSON object with a format version, as ticks have).
 */
public final class JobJson {
    static final int FORMAT = 1;
    private static final Set<String> FILTER_FIELDS = Set.of("status", "stepId");

    private JobJson() {}

    /**
     * {@code {"subscriberIds":[...]}} or {@code {"filter":{"status":["active"],"stepId":"..."}}}, exactly one, and
     * for a move {@code "toStepId"}.
     */
    public static JobRequest parseRequest(String body, String sequenceId, BulkAction action) {
        JsonNode root = Json.parseBody(body);
        FieldReader fields = new FieldReader();
        if (!root.isObject()) {
            throw new Invalid("body", "must be a JSON object");
        }
        fields.rejectUnknown(root, "", action == BulkAction.MOVE ? Set.of("subscriberIds", "filter", "toStepId")
                : Set.of("subscriberIds", "filter"));
        Optional<String> toStepId = Optional.empty();
        if (action == BulkAction.MOVE) {
            toStepId = Optional.ofNullable(fields.id(root, "toStepId", "toStepId"));
        }
        boolean listed = root.hasNonNull("subscriberIds");
        boolean filtered = root.hasNonNull("filter");
        JobRequest.Selection selection = null;
        if (listed == filtered) {
            fields.fail(listed ? "filter" : "subscriberIds", "give either subscriberIds or filter, not both or neither");
        } else if (listed) {
            selection = listed(root.get("subscriberIds"), fields);
        } else {
            selection = filter(root.get("filter"), fields);
        }
        fields.throwIfInvalid();
        return new JobRequest(sequenceId, action, toStepId, selection);
    }

    private static JobRequest.Selection listed(JsonNode ids, FieldReader fields) {
        if (!ids.isArray()) {
            fields.fail("subscriberIds", "must be an array of subscriber ids");
            return null;
        }
        if (ids.isEmpty() || ids.size() > JobRequest.MAX_IDS) {
            fields.fail("subscriberIds", "must list 1 to " + JobRequest.MAX_IDS + " subscribers; select more with a filter");
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            String path = "subscriberIds[" + i + "]";
            JsonNode wrapper = Json.object().set("id", ids.get(i));
            Optional.ofNullable(fields.id(wrapper, "id", path)).ifPresent(out::add);
        }
        return fields.hasErrors() ? null : new JobRequest.Listed(out);
    }

    private static JobRequest.Selection filter(JsonNode filter, FieldReader fields) {
        if (fields.object(filter, "filter", true) == null) {
            return null;
        }
        fields.rejectUnknown(filter, "filter", FILTER_FIELDS);
        EnumSet<EnrollmentStatus> statuses = EnumSet.noneOf(EnrollmentStatus.class);
        JsonNode status = filter.get("status");
        if (status != null && !status.isNull()) {
            List<JsonNode> names = new ArrayList<>();
            if (status.isArray()) {
                status.forEach(names::add);
            } else {
                names.add(status);
            }
            for (JsonNode name : names) {
                Optional<EnrollmentStatus> parsed = Arrays.stream(EnrollmentStatus.values())
                        .filter(s -> name.isTextual() && s.wireName().equals(name.textValue())).findFirst();
                parsed.ifPresentOrElse(statuses::add, () -> fields.fail("filter.status", "must be one of "
                        + Arrays.stream(EnrollmentStatus.values()).map(EnrollmentStatus::wireName)
                        .collect(Collectors.joining(", ")) + " (or an array of them)"));
            }
        }
        Optional<String> stepId = filter.hasNonNull("stepId")
                ? Optional.ofNullable(fields.id(filter, "stepId", "filter.stepId")) : Optional.empty();
        return fields.hasErrors() ? null : new JobRequest.Filtered(new EnrollmentFilter(statuses, stepId));
    }

    /** A job as {@code GET .../jobs/{id}} and the starting request answer it. */
    public static ObjectNode write(Job job) {
        ObjectNode out = Json.object()
                .put("id", job.id())
                .put("account", job.account())
                .put("sequenceId", job.request().sequenceId())
                .put("action", job.request().action().wireName());
        job.request().toStepId().ifPresent(step -> out.put("toStepId", step));
        ObjectNode selection = out.putObject("selection");
        if (job.request().selection() instanceof JobRequest.Listed listed) {
            selection.put("subscriberIds", listed.subscriberIds().size());
        } else {
            EnrollmentFilter filter = ((JobRequest.Filtered) job.request().selection()).filter();
            ObjectNode f = selection.putObject("filter");
            ArrayNode status = f.putArray("status");
            filter.statuses().stream().sorted().forEach(s -> status.add(s.wireName()));
            filter.stepId().ifPresent(step -> f.put("stepId", step));
        }
        out.put("status", job.status().wireName());
        out.put("total", job.total().orElse(null));
        out.put("processed", job.processed())
                .put("succeeded", job.succeeded())
                .put("failed", job.failed());
        ArrayNode errors = out.putArray("errors");
        for (Job.ItemError error : job.errors()) {
            errors.addObject().put("subscriberId", error.subscriberId()).put("kind", error.kind())
                    .put("message", error.message());
        }
        out.put("errorsOmitted", job.failed() - job.errors().size());
        out.put("failure", job.failure().orElse(null));
        out.put("createdAt", job.createdAt().toString());
        out.put("updatedAt", job.updatedAt().toString());
        return out;
    }

    /** Thrown for a page message this version cannot read; the queue trigger retries it, then poisons it. */
    public static final class MalformedPage extends RuntimeException {
        public MalformedPage(String message) {
            super(message);
        }
    }

    public static String encodePage(JobPage page) {
        ObjectNode out = Json.object();
        out.put("v", FORMAT);
        out.put("account", page.account());
        out.put("jobId", page.jobId());
        out.put("page", page.page());
        out.put("waits", page.waits());
        return Json.write(out);
    }

    public static JobPage decodePage(String text) {
        JsonNode in;
        try {
            in = Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new MalformedPage("not JSON");
        }
        if (in == null || !in.isObject() || in.path("v").asInt(-1) != FORMAT || !in.path("account").isTextual()
                || !in.path("jobId").isTextual() || !in.path("page").canConvertToInt()) {
            throw new MalformedPage("not a job page message of version " + FORMAT);
        }
        try {
            return new JobPage(in.get("account").textValue(), in.get("jobId").textValue(), in.get("page").intValue(),
                    in.path("waits").asInt(0));
        } catch (IllegalArgumentException e) {
            throw new MalformedPage("job page message: " + e.getMessage());
        }
    }
}
