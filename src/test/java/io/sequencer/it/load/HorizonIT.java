package io.sequencer.it.load;

import static io.sequencer.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.adapters.json.Json;
import io.sequencer.functions.Settings;
import io.sequencer.local.WebhookSink;
import io.sequencer.testing.Azurite;
import io.sequencer.testing.LocalHostFixture;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The horizon on Azurite: far-future timers wait in the parking queue and the pump brings them in on time. The
 * heavy horizon loads are classes of their own ({@link HorizonParkingIT}, {@link HorizonPumpIT}) so that the
 * integration-test JVMs can run them side by side.
 */
class HorizonIT {

    static String sequence(String url, int... delays) {
        StringBuilder steps = new StringBuilder();
        for (int i = 0; i < delays.length; i++) {
            steps.append(i == 0 ? "" : ",").append("{\"id\":\"s").append(i + 1).append("\",\"delay\":{\"amount\":")
                    .append(delays[i]).append(",\"unit\":\"seconds\"},\"message\":{}}");
        }
        return "{\"name\":\"h\",\"steps\":[" + steps + "],\"channel\":{\"type\":\"webhook\",\"url\":\"" + url + "\"}}";
    }

    @Test
    void a_step_beyond_the_horizon_is_parked_pumped_and_delivered_on_time() throws Exception {
        try (LocalHostFixture host = LocalHostFixture.start(Map.of(Settings.HORIZON, "20"), json -> { });
             WebhookSink sink = new WebhookSink(null)) {
            String account = "hz-" + UUID.randomUUID().toString().substring(0, 8);
            String path = "/api/accounts/" + account + "/sequences/later";
            host.call("PUT", path, sequence(sink.url(), 0, 30));
            host.call("PUT", path + "/subscribers/u1", null);
            await(() -> Json.read(host.call("GET", "/api/metrics", null).body()).path("timers").path("parked").asLong() >= 1,
                    Duration.ofSeconds(30));
            assertThat(Json.read(host.call("GET", "/api/metrics", null).body()).path("timers").path("horizonSeconds").asLong())
                    .isEqualTo(20);
            await(() -> sink.received().stream().filter(r -> r.payload().path("account").asText().equals(account)).count() == 2,
                    Duration.ofSeconds(90));
            WebhookSink.Received second = sink.received().stream()
                    .filter(r -> r.payload().path("account").asText().equals(account) && r.stepId().equals("s2"))
                    .findFirst().orElseThrow();
            Duration lateness = Duration.between(second.dueAt(), second.receivedAt());
            assertThat(lateness.isNegative()).as("never early").isFalse();
            assertThat(lateness).as("pumped in time").isLessThan(Duration.ofSeconds(5));
        }
    }
}
