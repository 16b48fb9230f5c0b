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
import io.sequencer.adapters.json.EventJson;
import io.sequencer.adapters.json.Json;
import io.sequencer.domain.Ids;
import io.sequencer.domain.subscriber.SubscriberEvent;
import io.sequencer.engine.event.EventResult;
import io.sequencer.engine.event.Events;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The HTTP function through which the host reports what subscribers did. */
public final class EventFunctions {

    @FunctionName("reportEvents")
    public HttpResponseMessage report(
            @HttpTrigger(name = "request", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "accounts/{account}/events") HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            ExecutionContext context) {
        return HttpApi.handleWrite(request, context, account, () -> {
            Ids.require("account", account);
            List<EventJson.Entry> entries = EventJson.parse(HttpApi.requiredBody(request));
            ObjectNode[] results = new ObjectNode[entries.size()];
            // One subscriber's events in the order given; different subscribers side by side.
            Map<String, List<Integer>> bySubscriber = new LinkedHashMap<>();
            for (int i = 0; i < entries.size(); i++) {
                Optional<SubscriberEvent> event = entries.get(i).event();
                if (event.isEmpty()) {
                    results[i] = BatchResults.rejected(i, entries.get(i).problem().orElseThrow());
                } else {
                    bySubscriber.computeIfAbsent(event.get().subscriberId(), s -> new ArrayList<>()).add(i);
                }
            }
            BatchResults.forEachInParallel(new ArrayList<>(bySubscriber.values()), indexes -> {
                List<Events.Recorded> recorded = FunctionApp.get().engine().events().recordAll(account,
                        indexes.stream().map(i -> entries.get(i).event().orElseThrow()).toList());
                for (int k = 0; k < indexes.size(); k++) {
                    results[indexes.get(k)] = result(indexes.get(k), recorded.get(k), context);
                }
            });
            return HttpApi.json(request, HttpStatus.OK, BatchResults.summary(results));
        });
    }

    private static ObjectNode result(int index, Events.Recorded recorded, ExecutionContext context) {
        if (recorded instanceof Events.Recorded.Failed failed) {
            return BatchResults.failed(index, failed.error(), context);
        }
        EventResult result = ((Events.Recorded.Done) recorded).result();
        ObjectNode out = Json.object();
        out.put("index", index);
        out.put("status", result.applied() ? "applied" : "unchanged");
        out.put("enrollments", result.enrollments());
        return out;
    }
}
