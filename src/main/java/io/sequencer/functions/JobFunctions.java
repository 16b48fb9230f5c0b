package io.sequencer.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.sequencer.adapters.json.JobJson;
import io.sequencer.adapters.json.Json;
import io.sequencer.domain.Ids;
import io.sequencer.engine.job.BulkAction;
import io.sequencer.engine.job.Job;
import io.sequencer.engine.job.JobRequest;
import java.util.Optional;

/**
 * HTTP functions that start bulk jobs on a sequence's enrollments (take them out, move them to a step) and show a
 * job's progress. Starting answers 202 with the job and its address; the same {@code Idempotency-Key} finds the
 * same job (a replayed answer carries the job, not the {@code Location} header: the job's id names it).
 */
public final class JobFunctions {
    private static final String SUBSCRIBERS = "accounts/{account}/sequences/{sequenceId}/subscribers";

    @FunctionName("leaveInBulk")
    public HttpResponseMessage leave(
            @HttpTrigger(name = "request", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = SUBSCRIBERS + ":leave") HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            @BindingName("sequenceId") String sequenceId,
            ExecutionContext context) {
        return start(request, context, account, sequenceId, BulkAction.LEAVE);
    }

    @FunctionName("moveInBulk")
    public HttpResponseMessage move(
            @HttpTrigger(name = "request", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = SUBSCRIBERS + ":move") HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            @BindingName("sequenceId") String sequenceId,
            ExecutionContext context) {
        return start(request, context, account, sequenceId, BulkAction.MOVE);
    }

    @FunctionName("getJob")
    public HttpResponseMessage get(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "accounts/{account}/jobs/{jobId}") HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            @BindingName("jobId") String jobId,
            ExecutionContext context) {
        return HttpApi.forAccount(request, context, account,
                () -> HttpApi.json(request, HttpStatus.OK, JobJson.write(FunctionApp.get().engine().jobs().get(account, jobId))));
    }

    private static HttpResponseMessage start(HttpRequestMessage<Optional<String>> request, ExecutionContext context,
                                             String account, String sequenceId, BulkAction action) {
        return HttpApi.handleWrite(request, context, account, () -> {
            Ids.require("account", account);
            Ids.require("sequenceId", sequenceId);
            JobRequest jobRequest = JobJson.parseRequest(HttpApi.requiredBody(request), sequenceId, action);
            Job job = FunctionApp.get().engine().jobs().start(account, jobRequest,
                    IdempotencyKeyHeader.of(request.getHeaders()));
            return request.createResponseBuilder(HttpStatus.ACCEPTED)
                    .header("Content-Type", "application/json")
                    .header("Location", "/api/accounts/" + account + "/jobs/" + job.id())
                    .body(Json.write(JobJson.write(job))).build();
        });
    }
}
