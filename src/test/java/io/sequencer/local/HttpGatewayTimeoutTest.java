package io.sequencer.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** An HTTP function slower than the load balancer's patience, or than its own functionTimeout. */
class HttpGatewayTimeoutTest {

    /** Answers after the number of milliseconds in its query, and says whether it got there. */
    public static final class Slow {
        static final CountDownLatch FINISHED = new CountDownLatch(1);
        static final CountDownLatch INTERRUPTED = new CountDownLatch(1);

        public HttpResponseMessage run(@HttpTrigger(name = "request", route = "slow")
                                       HttpRequestMessage<Optional<String>> request) {
            try {
                Thread.sleep(Long.parseLong(request.getQueryParameters().get("ms")));
                FINISHED.countDown();
            } catch (InterruptedException e) {
                INTERRUPTED.countDown();
                Thread.currentThread().interrupt();
            }
            return request.createResponseBuilder(HttpStatus.OK).body("done").build();
        }
    }

    private static HttpResponse<String> call(Duration functionTimeout, Duration responseLimit, long ms) throws Exception {
        StagedApp app = new StagedApp(Path.of("staged"), "api",
                new StagedApp.QueueOptions(16, 8, Duration.ofSeconds(1), Duration.ofSeconds(30), 5, "base64"),
                functionTimeout, List.of(new StagedApp.FunctionDefinition("slow", Slow.class.getName(), "run",
                        new StagedApp.HttpTrigger("slow", List.of("GET"), "ANONYMOUS"))));
        try (HttpGateway gateway = new HttpGateway(app, HttpGatewayTimeoutTest.class.getClassLoader(), 0, null,
                responseLimit)) {
            gateway.start();
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + gateway.port() + "/api/slow?ms=" + ms)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void a_function_slower_than_the_response_limit_gets_a_502_and_runs_on() throws Exception {
        HttpResponse<String> response = call(Duration.ofMinutes(5), Duration.ofMillis(100), 1_000);

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(Slow.FINISHED.await(20, TimeUnit.SECONDS)).as("the function went on to its end").isTrue();
    }

    @Test
    void a_function_past_its_function_timeout_is_ended_with_a_500() throws Exception {
        HttpResponse<String> response = call(Duration.ofMillis(200), Duration.ofSeconds(230), 60_000);

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(Slow.INTERRUPTED.await(20, TimeUnit.SECONDS)).as("the run was interrupted").isTrue();
    }
}
