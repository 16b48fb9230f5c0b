package io.sequencer.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.adapters.json.Json;
import io.sequencer.local.WebhookSink;
import io.sequencer.testing.Await;
import io.sequencer.testing.RunScript;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./run} as a newcomer uses it: started from the shell and stopped with Ctrl+C. Its demo: {@link io.sequencer.it.load.DemoRerunIT}. */
class RunScriptIT {
    private static final String PATH = "/api/accounts/newcomer/sequences/welcome";

    @TempDir
    Path azurite;

    @Test
    void ctrl_c_stops_within_ten_seconds_without_an_error_line_and_the_delivery_in_flight_is_made_by_the_next_start()
            throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        AtomicBoolean first = new AtomicBoolean(true);
        try (WebhookSink sink = new WebhookSink(null)) {
            // The first delivery hangs at the receiver past the host's grace period: it is in flight at Ctrl+C.
            sink.onReceive(r -> {
                if (first.getAndSet(false)) {
                    await(answer);
                }
            });
            String deliveryId;
            try (RunScript run = RunScript.start(azurite)) {
                String app = run.awaitReady();
                assertThat(run.call(app, "PUT", PATH, """
                        {"name":"Welcome","steps":[{"id":"hello","delay":{"amount":0,"unit":"seconds"},"message":{"text":"hi"}}],
                         "channel":{"type":"webhook","url":"%s"}}""".formatted(sink.url())).statusCode()).isEqualTo(201);
                assertThat(run.call(app, "PUT", PATH + "/subscribers/ann", null).statusCode()).isEqualTo(201);
                Await.await(() -> !sink.received().isEmpty(), Duration.ofSeconds(60));
                deliveryId = sink.received().get(0).deliveryId();

                run.interrupt();

                assertThat(run.awaitExit(Duration.ofSeconds(10))).as("stopped within 10 s; printed:%n%s", run.output()).isTrue();
                assertThat(run.output()).as("what ./run printed").doesNotContain("ERROR");
            } finally {
                answer.countDown();
            }

            try (RunScript again = RunScript.start(azurite)) {
                String app = again.awaitReady();
                Await.await(() -> Json.read(again.call(app, "GET", PATH + "/subscribers/ann", null).body())
                        .path("status").asText().equals("completed"), Duration.ofSeconds(60));
                assertThat(sink.received()).extracting(WebhookSink.Received::deliveryId).hasSizeGreaterThan(1)
                        .containsOnly(deliveryId);
            }
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
