package io.sequencer.it;

import static io.sequencer.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.sequencer.adapters.json.Json;
import io.sequencer.testing.LocalHostFixture;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every step webhook and lifecycle notification a host receives verifies with the Standard Webhooks library for
 * JavaScript (the {@code standardwebhooks} npm package: an implementation of the specification that is not
 * Sequencer's): with a {@code whsec_} secret outside a rotation, and with the new and with the old secret while
 * {@code <NAME>_PREVIOUS} holds the old one. A secret that was never configured must not verify.
 */
class StandardWebhooksIT {
    private static final String STEADY_ACCOUNT = "sw-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String ROTATING_ACCOUNT = "sw-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String STEADY_SETTING = LocalHostFixture.setting(STEADY_ACCOUNT, "SW_SECRET");
    private static final String ROTATING_SETTING = LocalHostFixture.setting(ROTATING_ACCOUNT, "SW_SECRET");
    private static final String STEADY = whsec();
    private static final String ROTATED_IN = whsec();
    // A plain secret, as most hosts had before: the library takes it as its raw bytes.
    private static final String ROTATED_OUT = "it-plain-secret-being-rotated-out-" + UUID.randomUUID();
    private static final String NEVER_CONFIGURED = whsec();

    private static LocalHostFixture host;
    private static Receiver receiver;

    private static String whsec() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    @BeforeAll
    static void start() throws Exception {
        host = LocalHostFixture.start(Map.of(STEADY_SETTING, STEADY, ROTATING_SETTING, ROTATED_IN,
                ROTATING_SETTING + "_PREVIOUS", ROTATED_OUT), hostJson -> { });
        receiver = new Receiver();
    }

    @AfterAll
    static void stop() {
        receiver.server.stop(0);
        host.close();
    }

    /** One request as it arrived: its path, raw body and headers. */
    record Received(String path, String body, Map<String, String> headers) {
        boolean isNotification() {
            return path.contains("/notices/");
        }
    }

    /** A host's receiver: keeps every request as it came and answers 204. */
    static final class Receiver {
        final HttpServer server;
        final List<Received> received = new CopyOnWriteArrayList<>();

        Receiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
            server.createContext("/", exchange -> {
                try (exchange) {
                    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                    Map<String, String> headers = new HashMap<>();
                    for (String name : List.of("webhook-id", "webhook-timestamp", "webhook-signature", "X-Sequencer-Signature")) {
                        String value = exchange.getRequestHeaders().getFirst(name);
                        if (value != null) {
                            headers.put(name, value);
                        }
                    }
                    received.add(new Received(exchange.getRequestURI().getPath(), body, Map.copyOf(headers)));
                    exchange.sendResponseHeaders(204, -1);
                }
            });
            server.start();
        }

        String url(String kind, String account) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + kind + "/" + account;
        }

        List<Received> of(String account) {
            return received.stream().filter(r -> r.path().endsWith("/" + account)).toList();
        }

        long events(String account) {
            return of(account).stream().filter(Received::isNotification).mapToLong(r -> Json.read(r.body()).size()).sum();
        }
    }

    /** Defines notifications and a two-step webhook sequence signed by {@code setting}, and runs two subscribers. */
    private static String runAccount(String account, String setting) {
        assertThat(host.call("PUT", "/api/accounts/" + account + "/notifications",
                "{\"url\":\"%s\",\"secretSetting\":\"%s\"}".formatted(receiver.url("notices", account), setting))
                .statusCode()).isEqualTo(201);
        assertThat(host.call("PUT", "/api/accounts/" + account + "/sequences/two", """
                {"name":"Two","steps":[
                  {"id":"one","delay":{"amount":0,"unit":"seconds"},"message":{"text":"Grüße, eins"}},
                  {"id":"two","delay":{"amount":1,"unit":"seconds"},"message":{"text":"zwei ✓"}}],
                 "channel":{"type":"webhook","url":"%s","secretSetting":"%s"}}"""
                .formatted(receiver.url("hook", account), setting)).statusCode()).isIn(200, 201);
        for (String subscriber : List.of("a", "b")) {
            assertThat(host.call("PUT", "/api/accounts/" + account + "/sequences/two/subscribers/" + subscriber, null)
                    .statusCode()).isIn(200, 201);
        }
        // Two steps each, and started, two sent, completed each.
        await(() -> receiver.of(account).stream().filter(r -> !r.isNotification()).count() >= 4
                && receiver.events(account) >= 8, Duration.ofSeconds(90));
        return account;
    }

    private static ObjectNode check(String label, Received received, String secret) {
        ObjectNode check = Json.object();
        check.put("label", label);
        check.put("body", received.body());
        ObjectNode headers = check.putObject("headers");
        received.headers().forEach(headers::put);
        check.put("secret", secret);
        check.put("raw", !secret.startsWith("whsec_"));
        return check;
    }

    /** Runs the checks through the JavaScript library; answers label → verified. */
    private static Map<String, Boolean> verify(List<ObjectNode> checks) throws Exception {
        Path project = Path.of(System.getProperty("sequencer.projectDir", ".")).toAbsolutePath();
        Path script = project.resolve("src/test/resources/standard-webhooks/verify.js");
        assertThat(project.resolve("node_modules/standardwebhooks/package.json"))
                .as("the build installs standardwebhooks with npm ci").isRegularFile();
        ObjectNode input = Json.object();
        ArrayNode list = input.putArray("checks");
        checks.forEach(list::add);
        Process node = new ProcessBuilder("node", script.toString()).directory(project.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (OutputStream stdin = node.getOutputStream()) {
            stdin.write(Json.write(input).getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(node.exitValue()).isZero();
        Map<String, Boolean> verified = new LinkedHashMap<>();
        for (JsonNode result : Json.read(output)) {
            verified.put(result.path("label").asText(), result.path("ok").asBoolean());
        }
        assertThat(verified).hasSize(checks.size());
        return verified;
    }

    @Test
    void every_delivery_verifies_with_the_standard_webhooks_library_before_and_during_a_rotation() throws Exception {
        String steady = runAccount(STEADY_ACCOUNT, STEADY_SETTING);
        String rotating = runAccount(ROTATING_ACCOUNT, ROTATING_SETTING);
        List<ObjectNode> checks = new ArrayList<>();
        List<String> mustHold = new ArrayList<>();
        List<String> mustFail = new ArrayList<>();
        int n = 0;
        for (Received r : receiver.of(steady)) {
            assertThat(r.headers().get("webhook-signature")).as("one signature outside a rotation").doesNotContain(" ");
            checks.add(check("steady " + n + " " + r.path(), r, STEADY));
            mustHold.add("steady " + n + " " + r.path());
            checks.add(check("steady-foreign " + n, r, NEVER_CONFIGURED));
            mustFail.add("steady-foreign " + n++);
        }
        for (Received r : receiver.of(rotating)) {
            assertThat(r.headers().get("webhook-signature").split(" ")).as("both signatures during a rotation").hasSize(2);
            for (var secret : Map.of("new", ROTATED_IN, "old", ROTATED_OUT).entrySet()) {
                String label = "rotating-" + secret.getKey() + " " + n + " " + r.path();
                checks.add(check(label, r, secret.getValue()));
                mustHold.add(label);
            }
            checks.add(check("rotating-foreign " + n, r, NEVER_CONFIGURED));
            mustFail.add("rotating-foreign " + n++);
        }
        for (Received r : receiver.received) {
            if (!r.isNotification()) {
                assertThat(r.headers().get("webhook-id")).isEqualTo(Json.read(r.body()).path("deliveryId").asText());
            } else {
                assertThat(r.headers().get("webhook-id")).matches("(evt|ntf)_[0-9a-f]{32}");
            }
        }
        Map<String, Boolean> verified = verify(checks);
        assertThat(mustHold).allSatisfy(label -> assertThat(verified.get(label)).as(label).isTrue());
        assertThat(mustFail).allSatisfy(label -> assertThat(verified.get(label)).as(label).isFalse());
        assertThat(mustHold.stream().filter(l -> l.contains("/notices/"))).as("notifications were checked").isNotEmpty();
        assertThat(mustHold.stream().filter(l -> l.contains("/hook/"))).as("step webhooks were checked").isNotEmpty();
    }
}
