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
import io.sequencer.adapters.json.PreviewJson;
import io.sequencer.domain.Ids;
import io.sequencer.engine.preview.PreviewSubject;
import io.sequencer.engine.preview.StepPreview;
import io.sequencer.engine.preview.TestSendResult;
import java.util.Optional;

/** HTTP functions that show a step before it goes: its preview for one subscriber, and a test send to a tester. */
public final class StepFunctions {

    @FunctionName("previewStep")
    public HttpResponseMessage preview(
            @HttpTrigger(name = "request", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "accounts/{account}/sequences/{sequenceId}/steps/{stepId}:preview")
            HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            @BindingName("sequenceId") String sequenceId,
            @BindingName("stepId") String stepId,
            ExecutionContext context) {
        return HttpApi.forAccount(request, context, account, () -> {
            requireIds(account, sequenceId, stepId);
            PreviewSubject subject = PreviewJson.parsePreview(HttpApi.requiredBody(request));
            StepPreview preview = FunctionApp.get().engine().previews().preview(account, sequenceId, stepId, subject);
            return HttpApi.json(request, HttpStatus.OK, PreviewJson.write(preview));
        });
    }

    @FunctionName("testSendStep")
    public HttpResponseMessage test(
            @HttpTrigger(name = "request", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "accounts/{account}/sequences/{sequenceId}/steps/{stepId}:test")
            HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            @BindingName("sequenceId") String sequenceId,
            @BindingName("stepId") String stepId,
            ExecutionContext context) {
        return HttpApi.handleWrite(request, context, account, () -> {
            requireIds(account, sequenceId, stepId);
            PreviewJson.TestRequest test = PreviewJson.parseTest(HttpApi.requiredBody(request));
            FunctionApp app = FunctionApp.get();
            TestSendResult result = app.engine().previews().testSend(account, sequenceId, stepId, test.subject(), test.to(),
                    url -> app.addressGuard().requireAllowed("to", url));
            return HttpApi.json(request, HttpStatus.OK, PreviewJson.write(result));
        });
    }

    private static void requireIds(String account, String sequenceId, String stepId) {
        Ids.require("account", account);
        Ids.require("sequenceId", sequenceId);
        Ids.require("stepId", stepId);
    }
}
