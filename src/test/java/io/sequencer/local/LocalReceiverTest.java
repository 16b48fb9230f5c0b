package io.sequencer.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.sequencer.adapters.channel.WebhookSignature;
import io.sequencer.adapters.json.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The local host's receiver: what it records of each delivery, how it checks signatures, how it shows them. */
class LocalReceiverTest {
    private static final Map<String, String> SETTINGS = Map.of(
            "SEQUENCER_ACCOUNT_SETTING_PREFIX", "SEQ_{ACCOUNT}__",
            "SEQ_ACME__HOOK_SECRET", "acme-secret",
            "SEQ_GLOBEX__HOOK_SECRET", "globex-secret");
    private static final String ACME = "{\"account\":\"acme\",\"stepId\":\"welcome\",\"text\":\"<b>hi</b>\"}";

    private final HttpClient http = HttpClient.newHttpClient();
    private HttpServer server;
    private String base;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext(LocalReceiver.PATH, LocalReceiver.forSettings(SETTINGS));
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort() + LocalReceiver.PATH;
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private HttpResponse<String> post(String name, String body, String signature) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/" + name))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) {
            request.header(WebhookSignature.HEADER, signature);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void a_delivery_signed_with_a_secret_its_account_may_name_is_valid_and_says_which() throws Exception {
        assertThat(post("welcome", ACME, WebhookSignature.header("acme-secret", 1_700_000_000L, ACME)).statusCode()).isEqualTo(200);

        JsonNode listed = Json.read(get("/welcome").body());
        assertThat(listed.path("receiver").asText()).isEqualTo("welcome");
        assertThat(listed.path("received")).singleElement().satisfies(d -> {
            assertThat(d.path("signature").asText()).isEqualTo("valid");
            assertThat(d.path("verifiedWith").asText()).isEqualTo("SEQ_ACME__HOOK_SECRET");
            assertThat(d.path("payload").path("stepId").asText()).isEqualTo("welcome");
        });
    }

    @Test
    void a_notification_batch_is_checked_against_the_secrets_of_its_events_account() throws Exception {
        String batch = "[{\"type\":\"enrollment.started\",\"account\":\"acme\"}]";
        post("notices", batch, WebhookSignature.header("acme-secret", 1_700_000_000L, batch));

        assertThat(Json.read(get("/notices").body()).path("received")).singleElement()
                .satisfies(d -> assertThat(d.path("verifiedWith").asText()).isEqualTo("SEQ_ACME__HOOK_SECRET"));
    }

    @Test
    void another_accounts_secret_a_changed_body_or_no_signature_are_told_apart() throws Exception {
        post("hook", ACME, WebhookSignature.header("globex-secret", 1_700_000_000L, ACME));
        post("hook", ACME, WebhookSignature.header("acme-secret", 1_700_000_000L, ACME.replace("hi", "ho")));
        post("hook", ACME, null);
        String unknown = "{\"account\":\"initech\"}";
        post("hook", unknown, WebhookSignature.header("any", 1_700_000_000L, unknown));

        JsonNode received = Json.read(get("/hook").body()).path("received");
        assertThat(received).extracting(d -> d.path("signature").asText())
                .as("newest first").containsExactly("unchecked", "unsigned", "invalid", "invalid");
        assertThat(received.get(3).has("verifiedWith")).isFalse();
    }

    @Test
    void each_receiver_keeps_its_own_latest_deliveries() throws Exception {
        for (int i = 0; i < LocalReceiver.KEPT + 3; i++) {
            post("busy", "{\"n\":" + i + "}", null);
        }
        post("quiet", "{\"n\":-1}", null);

        JsonNode busy = Json.read(get("/busy").body()).path("received");
        assertThat(busy).hasSize(LocalReceiver.KEPT);
        assertThat(busy.get(0).path("payload").path("n").asInt()).isEqualTo(LocalReceiver.KEPT + 2);
        assertThat(Json.read(get("/quiet").body()).path("received")).hasSize(1);
        assertThat(Json.read(get("/nobody").body()).path("received")).isEmpty();
    }

    @Test
    void the_page_lists_every_receiver_with_its_payloads_escaped() throws Exception {
        post("welcome", ACME, WebhookSignature.header("acme-secret", 1_700_000_000L, ACME));

        HttpResponse<String> page = get("");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.body()).contains("<h2>welcome", "valid (SEQ_ACME__HOOK_SECRET)", "&lt;b&gt;hi&lt;/b&gt;")
                .doesNotContain("<b>hi</b>");
    }

    @Test
    void a_name_outside_the_id_alphabet_is_not_a_receiver() throws Exception {
        assertThat(post("a%20b", "{}", null).statusCode()).isEqualTo(404);
        assertThat(post("a/b", "{}", null).statusCode()).isEqualTo(404);
    }
}
