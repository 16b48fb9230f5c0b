package io.sequencer.it;

import static io.sequencer.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.local.WebhookSink;
import io.sequencer.testing.LocalHostFixture;
import io.sequencer.testing.TickLines;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pause and resume, and a live edit with subscribers in flight, on the local host with Azurite. */
class TimingIT {
    private static LocalHostFixture host;
    private static WebhookSink sink;
    private static TickLines ticks;

    @BeforeAll
    static void start() throws Exception {
        ticks = TickLines.watch();
        host = LocalHostFixture.start();
        sink = new WebhookSink(null);
    }

    @AfterAll
    static void stop() {
        sink.close();
        host.close();
        ticks.close();
    }

    private static List<WebhookSink.Received> received(String account) {
        return sink.received().stream().filter(r -> r.payload().path("account").asText().equals(account)).toList();
    }

    private static String step(String id, int seconds, String text) {
        return "{\"id\":\"" + id + "\",\"delay\":{\"amount\":" + seconds + ",\"unit\":\"seconds\"},\"message\":{\"text\":\"" + text + "\"}}";
    }

    private static String sequence(String... steps) {
        return "{\"name\":\"Timing\",\"steps\":[" + String.join(",", steps) + "],\"channel\":{\"type\":\"webhook\",\"url\":\""
                + sink.url() + "\"}}";
    }

    @Test
    void a_paused_sequence_holds_due_steps_and_sends_each_once_after_resume() throws Exception {
        String account = "pause-" + UUID.randomUUID().toString().substring(0, 8);
        String path = "/api/accounts/" + account + "/sequences/drip";
        host.call("PUT", path, sequence(step("a", 0, "first"), step("b", 2, "second")));
        JsonNode paused = Json.read(host.call("POST", path + "/pause", null).body());
        assertThat(paused.path("status").asText()).isEqualTo("paused");
        for (String s : List.of("u1", "u2", "u3")) {
            assertThat(host.call("PUT", path + "/subscribers/" + s, null).statusCode()).isEqualTo(201);
        }
        // Each subscriber's first step falls due at once: its tick runs while paused and holds it.
        for (String s : List.of("u1", "u2", "u3")) {
            ticks.await(Duration.ofSeconds(30), "outcome=wait", "account=" + account, "subscriber=" + s);
        }
        assertThat(ticks.count("outcome=sent", "account=" + account)).as("no tick sent while paused").isZero();
        assertThat(received(account)).as("nothing is sent while paused").isEmpty();

        Instant resumedAt = Instant.now();
        assertThat(Json.read(host.call("POST", path + "/resume", null).body()).path("status").asText()).isEqualTo("active");
        await(() -> received(account).size() >= 6, Duration.ofSeconds(60));
        Thread.sleep(1500);
        assertThat(received(account)).hasSize(6);
        assertThat(received(account)).extracting(WebhookSink.Received::deliveryId).doesNotHaveDuplicates();
        assertThat(received(account)).allSatisfy(r -> assertThat(r.receivedAt()).isAfter(resumedAt));
    }

    @Test
    void a_live_edit_moves_subscribers_in_flight_onto_the_new_version_without_sending_inserted_steps() {
        String account = "edit-" + UUID.randomUUID().toString().substring(0, 8);
        String path = "/api/accounts/" + account + "/sequences/drip";
        host.call("PUT", path, sequence(step("a", 0, "a1"), step("b", 4, "b1"), step("c", 4, "c1")));
        host.call("PUT", path + "/subscribers/u1", null);
        host.call("PUT", path + "/subscribers/u2", null);
        await(() -> received(account).size() == 2, Duration.ofSeconds(30));

        var edited = host.call("PUT", path, sequence(step("intro", 0, "never"), step("a", 0, "a2"),
                step("b", 4, "b2"), step("c", 1, "c2")));
        assertThat(edited.statusCode()).isEqualTo(200);
        assertThat(Json.read(edited.body()).path("version").asInt()).isEqualTo(2);

        await(() -> received(account).size() >= 6, Duration.ofSeconds(60));
        for (String s : List.of("u1", "u2")) {
            List<WebhookSink.Received> mine = received(account).stream().filter(r -> r.subscriberId().equals(s)).toList();
            assertThat(mine).extracting(WebhookSink.Received::stepId).containsExactly("a", "b", "c");
            assertThat(mine).extracting(r -> r.payload().path("message").path("text").asText())
                    .containsExactly("a1", "b2", "c2");
        }
    }

    @Test
    void an_archived_sequence_sends_nothing_more_and_shows_its_subscribers_as_left() {
        String account = "arch-" + UUID.randomUUID().toString().substring(0, 8);
        String path = "/api/accounts/" + account + "/sequences/drip";
        host.call("PUT", path, sequence(step("a", 0, "a"), step("b", 3, "b")));
        host.call("PUT", path + "/subscribers/u1", null);
        await(() -> received(account).size() == 1, Duration.ofSeconds(30));
        assertThat(Json.read(host.call("DELETE", path, null).body()).path("status").asText()).isEqualTo("archived");
        JsonNode enrollment = Json.read(host.call("GET", path + "/subscribers/u1", null).body());
        assertThat(enrollment.path("status").asText()).isEqualTo("left");
        assertThat(enrollment.path("leaveReason").asText()).isEqualTo("archived");
        assertThat(host.call("PUT", path + "/subscribers/u2", null).statusCode()).isEqualTo(409);
        assertThat(host.call("GET", path, null).statusCode()).isEqualTo(200);
        // Step b's tick still falls due; once it has run (and found the subscriber gone) nothing is left to send.
        ticks.await(Duration.ofSeconds(30), "outcome=dropped", "account=" + account, "subscriber=u1");
        assertThat(ticks.count("outcome=sent", "account=" + account)).isEqualTo(1);
        assertThat(received(account)).hasSize(1);
    }
}
