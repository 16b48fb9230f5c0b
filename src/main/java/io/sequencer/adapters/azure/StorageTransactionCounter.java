package io.sequencer.adapters.azure;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import java.util.concurrent.atomic.LongAdder;
import reactor.core.publisher.Mono;

/**
 * Counts storage transactions (HTTP requests that reach the service, retries included), the unit Azure
 * bills and the figure the benchmarks compare. Placed per client, so queue and table counts stay apart.
 */
public final class StorageTransactionCounter implements HttpPipelinePolicy {
    private final LongAdder count = new LongAdder();

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        count.increment();
        return next.process();
    }

    @Override
    public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
        count.increment();
        return next.processSync();
    }

    public long count() {
        return count.sum();
    }
}
