package io.sequencer.functions;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.sequencer.adapters.json.Json;
import io.sequencer.engine.send.DestinationGuard;
import java.util.Optional;

/** Operational figures of the timer machinery and of the destinations this instance sends to, for dashboards and alerts. */
public final class MetricsFunction {

    @FunctionName("metrics")
    public HttpResponseMessage metrics(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "metrics") HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        return HttpApi.forAdmin(request, context, () -> {
            TimerMetrics metrics = FunctionApp.get().timerMetrics();
            ObjectNode out = Json.object();
            ObjectNode timers = out.putObject("timers");
            timers.put("parked", metrics.parked());
            timers.put("triggered", metrics.triggered());
            timers.put("shards", metrics.shards());
            ObjectNode byQueue = timers.putObject("triggeredByQueue");
            metrics.triggeredByQueue().forEach(byQueue::put);
            timers.put("horizonSeconds", metrics.horizon().toSeconds());
            timers.put("pumpLagSeconds", metrics.pumpLag().toSeconds());
            ObjectNode poisoned = out.putObject("poisonQueues");
            metrics.poisoned().forEach(poisoned::put);
            // This instance's view: circuits are kept per instance, in memory.
            ArrayNode circuits = out.putArray("openCircuits");
            for (DestinationGuard.CircuitView circuit : FunctionApp.get().destinations().openCircuits()) {
                ObjectNode entry = circuits.addObject();
                entry.put("destination", circuit.destination().key());
                entry.put("state", circuit.state());
                entry.put("since", circuit.since().toString());
                entry.put("until", circuit.until().toString());
                entry.put("failureRate", circuit.failureRate());
                entry.put("calls", circuit.calls());
            }
            return HttpApi.json(request, HttpStatus.OK, out);
        });
    }
}
