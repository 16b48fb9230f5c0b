package io.sequencer.functions;

import com.fasterxml.jackson.databind.node.ArrayNode;
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
import io.sequencer.adapters.json.Json;
import io.sequencer.adapters.json.SequenceJson;
import io.sequencer.domain.Ids;
import io.sequencer.domain.sequence.Sequence;
import io.sequencer.domain.sequence.SequenceDraft;
import io.sequencer.engine.sequence.DefinedSequence;
import java.util.Optional;
import java.util.function.Supplier;

/** HTTP functions that define, read and list sequences. */
public final class SequenceFunctions {

    @FunctionName("putSequence")
    public HttpResponseMessage put(
            @HttpTrigger(name = "request", methods = {HttpMethod.PUT}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "accounts/{account}/sequences/{sequenceId}") HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            @BindingName("sequenceId") String sequenceId,
            ExecutionContext context) {
        return HttpApi.forAccount(request, context, account, () -> {
            Ids.require("account", account);
            Ids.require("sequenceId", sequenceId);
            FunctionApp app = FunctionApp.get();
            SequenceDraft draft = SequenceJson.parse(HttpApi.requiredBody(request), app.channelForms());
            app.namedSecrets().requireChannels(account, RoutedChannels.ofSequence(draft.channel(), draft.steps()),
                    app.addressGuard());
            DefinedSequence defined = app.engine().sequences().define(account, sequenceId, draft);
            return HttpApi.json(request, defined.created() ? HttpStatus.CREATED : HttpStatus.OK,
                    SequenceJson.write(defined.sequence(), app.channelForms()));
        });
    }

    @FunctionName("getSequence")
    public HttpResponseMessage get(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "accounts/{account}/sequences/{sequenceId}") HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            @BindingName("sequenceId") String sequenceId,
            ExecutionContext context) {
        return sequenceResponse(request, context, account, () -> FunctionApp.get().engine().sequences().get(account, sequenceId));
    }

    @FunctionName("listSequences")
    public HttpResponseMessage list(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "accounts/{account}/sequences") HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            ExecutionContext context) {
        return HttpApi.forAccount(request, context, account, () -> {
            Ids.require("account", account);
            ObjectNode out = Json.object();
            ArrayNode items = out.putArray("sequences");
            for (Sequence sequence : FunctionApp.get().engine().sequences().list(account)) {
                items.add(SequenceJson.write(sequence, FunctionApp.get().channelForms()));
            }
            return HttpApi.json(request, HttpStatus.OK, out);
        });
    }

    @FunctionName("pauseSequence")
    public HttpResponseMessage pause(
            @HttpTrigger(name = "request", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "accounts/{account}/sequences/{sequenceId}/pause") HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            @BindingName("sequenceId") String sequenceId,
            ExecutionContext context) {
        return sequenceResponse(request, context, account, () -> FunctionApp.get().engine().sequences().pause(account, sequenceId));
    }

    @FunctionName("resumeSequence")
    public HttpResponseMessage resume(
            @HttpTrigger(name = "request", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "accounts/{account}/sequences/{sequenceId}/resume") HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            @BindingName("sequenceId") String sequenceId,
            ExecutionContext context) {
        return sequenceResponse(request, context, account, () -> FunctionApp.get().engine().sequences().resume(account, sequenceId));
    }

    @FunctionName("archiveSequence")
    public HttpResponseMessage archive(
            @HttpTrigger(name = "request", methods = {HttpMethod.DELETE}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "accounts/{account}/sequences/{sequenceId}") HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            @BindingName("sequenceId") String sequenceId,
            ExecutionContext context) {
        return sequenceResponse(request, context, account, () -> FunctionApp.get().engine().sequences().archive(account, sequenceId));
    }

    /** 200 with the sequence {@code action} returns; its errors become problems. */
    private static HttpResponseMessage sequenceResponse(HttpRequestMessage<Optional<String>> request,
                                                        ExecutionContext context, String account,
                                                        Supplier<Sequence> action) {
        return HttpApi.forAccount(request, context, account,
                () -> HttpApi.json(request, HttpStatus.OK,
                        SequenceJson.write(action.get(), FunctionApp.get().channelForms())));
    }
}
