package io.sequencer.functions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.sequencer.adapters.json.EnrollmentJson;
import io.sequencer.adapters.json.Json;
import io.sequencer.adapters.json.SubscriberJson;
import io.sequencer.domain.FieldError;
import io.sequencer.domain.Ids;
import io.sequencer.domain.Invalid;
import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.enrollment.EnrollmentStatus;
import io.sequencer.engine.enrollment.EnrollResult;
import io.sequencer.engine.enrollment.EnrollmentFilter;
import io.sequencer.engine.enrollment.EnrollmentListing;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.HashSet;
import java.util.Set;
import io.sequencer.engine.enrollment.EnrollRequest;
import io.sequencer.engine.enrollment.EnrollmentStore;
import java.util.stream.IntStream;

/**
 * HTTP functions that enroll subscribers (one or a batch), list a sequence's enrollments, show one's progress, and
 * take them out of a sequence.
 */
public final class EnrollmentFunctions {
    private static final String ROUTE = "accounts/{account}/sequences/{sequenceId}/subscribers/{subscriberId}";

    @FunctionName("enroll")
    public HttpResponseMessage enroll(
            @HttpTrigger(name = "request", methods = {HttpMethod.PUT}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = ROUTE) HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            @BindingName("sequenceId") String sequenceId,
            @BindingName("subscriberId") String subscriberId,
            ExecutionContext context) {
        return HttpApi.handleWrite(request, context, account, () -> {
            EnrollmentKey key = key(account, sequenceId, subscriberId);
            EnrollmentJson.EnrollBody body = EnrollmentJson.parseEnrollRequest(HttpApi.body(request));
            EnrollResult result = FunctionApp.get().engine().enrollments()
                    .enroll(body.request(key));
            return HttpApi.json(request, result.created() ? HttpStatus.CREATED : HttpStatus.OK,
                    EnrollmentJson.write(result.enrollment()));
        });
    }

    @FunctionName("enrollBatch")
    public HttpResponseMessage enrollBatch(
            @HttpTrigger(name = "request", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "accounts/{account}/sequences/{sequenceId}/subscribers:batch")
            HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            @BindingName("sequenceId") String sequenceId,
            ExecutionContext context) {
        return HttpApi.handleWrite(request, context, account, () -> {
            Ids.require("account", account);
            Ids.require("sequenceId", sequenceId);
            FunctionApp.get().engine().sequences().get(account, sequenceId);
            List<SubscriberJson.BatchEntry> entries = SubscriberJson.parseBatch(HttpApi.requiredBody(request));
            ObjectNode[] answers = new ObjectNode[entries.size()];
            // New subscribers go whole parts at a time; whatever is left (a part that could not go whole, a
            // repeated id) is then enrolled alone and answers for itself.
            BatchResults.forEachInParallel(newcomerParts(entries), part -> {
                List<EnrollRequest> requests = part.stream().map(i -> entries.get(i).body().orElseThrow()
                        .request(new EnrollmentKey(account, sequenceId, entries.get(i).subscriberId()))).toList();
                Optional<List<EnrollResult>> all;
                try {
                    all = FunctionApp.get().engine().batchEnrollments().enrollNew(requests);
                } catch (RuntimeException failed) {
                    all = Optional.empty();
                }
                all.ifPresent(results -> IntStream.range(0, part.size()).forEach(k ->
                        answers[part.get(k)] = enrolled(part.get(k), requests.get(k).key(), results.get(k))));
            });
            List<Integer> alone = new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                if (entries.get(i).problem().isPresent()) {
                    answers[i] = BatchResults.rejected(i, entries.get(i).problem().get());
                } else if (answers[i] == null) {
                    alone.add(i);
                }
            }
            BatchResults.forEachInParallel(alone, i -> answers[i] = enrollOne(i,
                    new EnrollmentKey(account, sequenceId, entries.get(i).subscriberId()), entries.get(i).body().orElseThrow(),
                    context));
            return HttpApi.json(request, HttpStatus.OK, BatchResults.summary(answers));
        });
    }

    /**
     * The valid entries in parts that {@link io.sequencer.engine.enrollment.BatchEnrollments} may take whole: up to
     * {@link EnrollmentStore#MAX_CREATE_ALL} each, every subscriber once (a repeat within the request is enrolled
     * alone, after its first).
     */
    private static List<List<Integer>> newcomerParts(List<SubscriberJson.BatchEntry> entries) {
        Set<String> seen = new HashSet<>();
        List<List<Integer>> parts = new ArrayList<>();
        List<Integer> part = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).problem().isEmpty() && seen.add(entries.get(i).subscriberId())) {
                part.add(i);
                if (part.size() == EnrollmentStore.MAX_CREATE_ALL) {
                    parts.add(part);
                    part = new ArrayList<>();
                }
            }
        }
        if (!part.isEmpty()) {
            parts.add(part);
        }
        return parts;
    }

    private static ObjectNode enrollOne(int index, EnrollmentKey key, EnrollmentJson.EnrollBody body,
                                        ExecutionContext context) {
        try {
            return enrolled(index, key, FunctionApp.get().engine().enrollments().enroll(body.request(key)));
        } catch (RuntimeException e) {
            return BatchResults.failed(index, e, context).put("subscriberId", key.subscriberId());
        }
    }

    private static ObjectNode enrolled(int index, EnrollmentKey key, EnrollResult result) {
        ObjectNode out = Json.object();
        out.put("index", index);
        out.put("subscriberId", key.subscriberId());
        out.put("status", result.created() ? "enrolled" : "unchanged");
        out.set("enrollment", EnrollmentJson.write(result.enrollment()));
        return out;
    }

    @FunctionName("listEnrollments")
    public HttpResponseMessage list(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "accounts/{account}/sequences/{sequenceId}/subscribers")
            HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            @BindingName("sequenceId") String sequenceId,
            ExecutionContext context) {
        return HttpApi.forAccount(request, context, account, () -> {
            Ids.require("account", account);
            Ids.require("sequenceId", sequenceId);
            List<FieldError> errors = new ArrayList<>();
            EnumSet<EnrollmentStatus> statuses = EnumSet.noneOf(EnrollmentStatus.class);
            HttpApi.query(request, "status").ifPresent(text -> statuses(text, statuses, errors));
            Optional<String> stepId = HttpApi.query(request, "stepId");
            stepId.flatMap(Ids::problemWith).ifPresent(reason -> errors.add(new FieldError("stepId", reason)));
            int limit = EnrollmentListing.DEFAULT_LIMIT;
            Optional<String> limitText = HttpApi.query(request, "limit");
            try {
                limit = limitText.map(text -> Integer.parseInt(text.trim())).orElse(limit);
            } catch (NumberFormatException e) {
                limit = 0;
            }
            // The listing checks the limit and the token; a limit found bad here is named with the other errors.
            if (!errors.isEmpty()) {
                EnrollmentListing.limitProblem(limit).ifPresent(errors::add);
            }
            if (!errors.isEmpty()) {
                throw new Invalid(errors);
            }
            FunctionApp app = FunctionApp.get();
            EnrollmentListing.Page page = app.engine().enrollmentListing().page(account, sequenceId,
                    new EnrollmentFilter(statuses, stepId), limit, HttpApi.query(request, "continuation"));
            return HttpApi.json(request, HttpStatus.OK, EnrollmentJson.writePage(sequenceId, page.enrollments(),
                    app.destinations().deferredSteps()::of, page.continuation()));
        });
    }

    /** Reads {@code status=active} or a comma-separated list of statuses. */
    private static void statuses(String text, EnumSet<EnrollmentStatus> into, List<FieldError> errors) {
        String names = Arrays.stream(EnrollmentStatus.values()).map(EnrollmentStatus::wireName)
                .collect(Collectors.joining(", "));
        for (String name : text.split(",", -1)) {
            String wire = name.trim().toLowerCase(Locale.ROOT);
            boolean known = Arrays.stream(EnrollmentStatus.values()).anyMatch(st -> st.wireName().equals(wire));
            if (!known) {
                errors.add(new FieldError("status", "must be one of " + names + " (or several, comma-separated)"));
                return;
            }
            into.add(EnrollmentStatus.fromWireName(wire));
        }
    }

    @FunctionName("getEnrollment")
    public HttpResponseMessage get(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = ROUTE) HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            @BindingName("sequenceId") String sequenceId,
            @BindingName("subscriberId") String subscriberId,
            ExecutionContext context) {
        return HttpApi.forAccount(request, context, account, () -> {
            FunctionApp app = FunctionApp.get();
            Enrollment enrollment = app.engine().enrollments().get(key(account, sequenceId, subscriberId));
            return HttpApi.json(request, HttpStatus.OK,
                    EnrollmentJson.write(enrollment, app.destinations().deferredSteps().of(enrollment)));
        });
    }

    @FunctionName("leave")
    public HttpResponseMessage leave(
            @HttpTrigger(name = "request", methods = {HttpMethod.DELETE}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = ROUTE) HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            @BindingName("sequenceId") String sequenceId,
            @BindingName("subscriberId") String subscriberId,
            ExecutionContext context) {
        return HttpApi.forAccount(request, context, account, () -> HttpApi.json(request, HttpStatus.OK,
                EnrollmentJson.write(FunctionApp.get().engine().enrollments().leave(key(account, sequenceId, subscriberId)))));
    }

    private static EnrollmentKey key(String account, String sequenceId, String subscriberId) {
        return new EnrollmentKey(Ids.require("account", account), Ids.require("sequenceId", sequenceId),
                Ids.require("subscriberId", subscriberId));
    }
}
