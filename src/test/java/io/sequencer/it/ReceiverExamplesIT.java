package io.sequencer.it;

import static io.sequencer.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpServer;
import io.sequencer.adapters.json.Json;
import io.sequencer.testing.LocalHostFixture;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The receiver examples a host copies (examples/express-receiver, examples/java-receiver), each run as its own
 * process as its README says, take the app's step webhooks and lifecycle notifications from the local host: every
 * delivery verified with the Standard Webhooks library and taken once, the same request sent again answered 2xx and
 * not taken again, a tampered body or another secret's signature refused with 401. The Express example is given a
 * {@code whsec_} secret, the Java one a plain secret (keyed with its bytes), so both forms are covered.
 *
 * <p>Each account's webhook and notification URLs point at a tap in this test that records each request as the
 * app sent it and passes it on unchanged, so the very same bytes can be sent again.
 */
class ReceiverExamplesIT {
    private static final Path PROJECT = Path.of(System.getProperty("sequencer.projectDir", ".")).toAbsolutePath();
    private static final Pattern LISTENING = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");
    private static final Map<String, Example> EXAMPLES = new LinkedHashMap<>();
    // HTTP/1.1 as Sequencer sends: no h2c upgrade offer for the receivers to turn down.
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static LocalHostFixture host;

    @BeforeAll
    static void start() throws Exception {
        String expressAccount = account("express");
        String javaAccount = account("java");
        String expressSecret = "whsec_" + Base64.getEncoder().encodeToString(randomKey());
        String javaSecret = "plain-receiver-secret-" + UUID.randomUUID();
        host = LocalHostFixture.start(Map.of(secretSetting(expressAccount), expressSecret,
                secretSetting(javaAccount), javaSecret), hostJson -> { });
        Path express = PROJECT.resolve("examples/express-receiver");
        assertThat(express.resolve("node_modules/express/package.json"))
                .as("the build installs the Express example's dependencies with npm ci").isRegularFile();
        EXAMPLES.put("express", Example.start(expressAccount, expressSecret, express, List.of("node", "server.mjs")));
        Path standardWebhooksJar = Path.of(Webhook.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        EXAMPLES.put("java", Example.start(javaAccount, javaSecret, PROJECT.resolve("examples/java-receiver"),
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", standardWebhooksJar.toString(), "Receiver.java")));
        for (Example example : EXAMPLES.values()) {
            define(example);
        }
        for (Example example : EXAMPLES.values()) {
            await(example::settled, Duration.ofSeconds(90));
        }
    }

    @AfterAll
    static void stop() {
        EXAMPLES.values().forEach(Example::stop);
        if (host != null) {
            host.close();
        }
    }

    private static String account(String name) {
        return "rx-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String secretSetting(String account) {
        return LocalHostFixture.setting(account, "RECEIVER_SECRET");
    }

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    /** Notifications and a two-step webhook sequence for the example's account, and two subscribers enrolled. */
    private static void define(Example example) {
        String account = example.account;
        String setting = secretSetting(account);
        assertThat(host.call("PUT", "/api/accounts/" + account + "/notifications",
                "{\"url\":\"%s/hooks/events\",\"secretSetting\":\"%s\"}".formatted(example.tap.url(), setting))
                .statusCode()).isEqualTo(201);
        assertThat(host.call("PUT", "/api/accounts/" + account + "/sequences/welcome", """
                {"name":"Welcome","steps":[
                  {"id":"hello","delay":{"amount":0,"unit":"seconds"},"message":{"text":"Grüße, welcome"}},
                  {"id":"tips","delay":{"amount":1,"unit":"seconds"},"message":{"text":"Three tips ✓"}}],
                 "channel":{"type":"webhook","url":"%s/hooks/steps","secretSetting":"%s"}}"""
                .formatted(example.tap.url(), setting)).statusCode()).isIn(200, 201);
        for (String subscriber : List.of("ann", "bob")) {
            assertThat(host.call("PUT", "/api/accounts/" + account + "/sequences/welcome/subscribers/" + subscriber, null)
                    .statusCode()).isIn(200, 201);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"express", "java"})
    void every_signed_delivery_is_verified_and_taken_once(String name) {
        Example example = EXAMPLES.get(name);
        List<Delivery> steps = example.tap.steps();
        List<String> ids = steps.stream().map(Delivery::id).distinct().toList();
        assertThat(ids).hasSize(4);
        for (Delivery step : steps) {
            assertThat(step.status()).as("answer to %s", step.id()).isBetween(200, 299);
            assertThat(step.id()).isEqualTo(Json.read(step.text()).path("deliveryId").asText());
        }
        for (String id : ids) {
            assertThat(example.lines("accepted " + id + " ")).as("accepted once: " + id).hasSize(1);
            await(() -> !example.lines("worked " + id).isEmpty(), Duration.ofSeconds(10));
        }
        List<String> sentEventIds = new ArrayList<>();
        for (Delivery notification : example.tap.notifications()) {
            assertThat(notification.status()).isBetween(200, 299);
            Json.read(notification.text()).forEach(event -> sentEventIds.add(event.path("eventId").asText()));
        }
        assertThat(sentEventIds.stream().distinct()).hasSize(8);
        assertThat(example.acceptedEventIds()).as("each event taken once")
                .containsExactlyInAnyOrderElementsOf(sentEventIds.stream().distinct().toList());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"express", "java"})
    void the_same_request_sent_again_is_answered_2xx_and_not_taken_again(String name) {
        Example example = EXAMPLES.get(name);
        List<String> acceptedBefore = example.lines("accepted ");
        for (Delivery original : List.of(example.tap.steps().get(0), example.tap.notifications().get(0))) {
            assertThat(example.send(original.path(), original.headers(), original.body()).statusCode())
                    .as("replay of %s", original.id()).isBetween(200, 299);
            await(() -> !example.lines("duplicate " + original.id()).isEmpty(), Duration.ofSeconds(10));
        }
        assertThat(example.lines("accepted ")).isEqualTo(acceptedBefore);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"express", "java"})
    void a_tampered_body_or_another_secrets_signature_is_refused_with_401(String name) throws Exception {
        Example example = EXAMPLES.get(name);
        Delivery original = example.tap.steps().get(0);
        byte[] tampered = original.text().replace("\"subscriberId\":\"", "\"subscriberId\":\"x")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(tampered).isNotEqualTo(original.body());
        // Its delivery id was taken already: a receiver that looked it up before verifying would answer 200.
        assertThat(example.send(original.path(), original.headers(), tampered).statusCode()).isEqualTo(401);

        // A fresh delivery id: signed with a secret the receiver does not hold, then with its own.
        String id = "dlv_" + UUID.randomUUID().toString().replace("-", "");
        String body = original.text().replace(original.id(), id);
        long now = Instant.now().getEpochSecond();
        Map<String, String> forged = Map.of("content-type", "application/json; charset=utf-8", "webhook-id", id,
                "webhook-timestamp", Long.toString(now), "webhook-signature",
                new Webhook(randomKey()).sign(id, now, body));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        assertThat(example.send(original.path(), forged, bytes).statusCode()).isEqualTo(401);
        Map<String, String> signed = new HashMap<>(forged);
        signed.put("webhook-signature", webhookFor(example.secret).sign(id, now, body));
        assertThat(example.send(original.path(), signed, bytes).statusCode()).as("the same, signed by its secret").isEqualTo(202);
        // The example's output is read by another thread: its line may come a moment after the answer.
        await(() -> !example.lines("accepted " + id + " ").isEmpty(), Duration.ofSeconds(10));
        assertThat(example.lines("accepted " + id + " ")).hasSize(1);
    }

    /** The library's key for a secret, as the examples take it: a whsec_ secret as it is, another as its bytes. */
    private static Webhook webhookFor(String secret) {
        return secret.startsWith("whsec_") ? new Webhook(secret) : new Webhook(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** One request as the app sent it, and the example's answer. */
    record Delivery(String path, Map<String, String> headers, byte[] body, int status) {
        String id() {
            return headers.get("webhook-id");
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Records each request and passes it on unchanged to the example, answering with the example's status. */
    static final class Tap {
        private static final List<String> HEADERS =
                List.of("content-type", "webhook-id", "webhook-timestamp", "webhook-signature");
        private final HttpServer server;
        private final List<Delivery> received = new CopyOnWriteArrayList<>();

        Tap(Example example) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
            server.createContext("/", exchange -> {
                try (exchange) {
                    byte[] body = exchange.getRequestBody().readAllBytes();
                    Map<String, String> headers = new LinkedHashMap<>();
                    for (String header : HEADERS) {
                        Optional.ofNullable(exchange.getRequestHeaders().getFirst(header)).ifPresent(v -> headers.put(header, v));
                    }
                    String path = exchange.getRequestURI().getPath();
                    HttpResponse<String> answer = example.send(path, headers, body);
                    received.add(new Delivery(path, Map.copyOf(headers), body, answer.statusCode()));
                    answer.headers().firstValue("Retry-After").ifPresent(v -> exchange.getResponseHeaders().set("Retry-After", v));
                    exchange.sendResponseHeaders(answer.statusCode(), -1);
                }
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        List<Delivery> steps() {
            return received.stream().filter(d -> d.path().equals("/hooks/steps")).toList();
        }

        List<Delivery> notifications() {
            return received.stream().filter(d -> d.path().equals("/hooks/events")).toList();
        }
    }

    /** A receiver example run as a process, with the lines it printed. */
    static final class Example {
        final String account;
        final String secret;
        private final Process process;
        private final List<String> output = new CopyOnWriteArrayList<>();
        private volatile String baseUrl;
        private Tap tap;

        private Example(String account, String secret, Process process) {
            this.account = account;
            this.secret = secret;
            this.process = process;
        }

        /** Starts {@code command} in {@code dir} on a free loopback port with {@code secret}; waits until it listens. */
        static Example start(String account, String secret, Path dir, List<String> command) throws IOException {
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
            builder.environment().put("PORT", "0");
            builder.environment().put("WEBHOOK_SECRET", secret);
            Example example = new Example(account, secret, builder.start());
            Thread reader = new Thread(example::read, "receiver-output-" + dir.getFileName());
            reader.setDaemon(true);
            reader.start();
            try {
                await(() -> example.baseUrl != null || !example.process.isAlive(), Duration.ofSeconds(60));
            } catch (AssertionError e) {
                example.stop();
                throw e;
            }
            assertThat(example.baseUrl).as("%s started; it printed %s", dir.getFileName(), example.output).isNotNull();
            example.tap = new Tap(example);
            return example;
        }

        private void read() {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    output.add(line);
                    Matcher listening = LISTENING.matcher(line);
                    if (baseUrl == null && listening.find()) {
                        baseUrl = listening.group(1);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /**
         * Two steps each, and started, two sent, completed each, seen on both sides: the tap records a request once
         * answered, and the example's lines reach this test a little after it printed them.
         */
        boolean settled() {
            List<String> stepIds = tap.steps().stream().map(Delivery::id).distinct().toList();
            long events = tap.notifications().stream().flatMap(n -> Json.read(n.text()).findValuesAsText("eventId").stream())
                    .distinct().count();
            return stepIds.size() >= 4 && stepIds.stream().allMatch(id -> !lines("accepted " + id + " ").isEmpty())
                    && events >= 8 && acceptedEventIds().size() >= 8;
        }

        List<String> lines(String prefix) {
            return output.stream().filter(line -> line.startsWith(prefix)).toList();
        }

        /** The event ids of every {@code accepted <webhook-id> events <id>,<id>} line, as often as each was taken. */
        List<String> acceptedEventIds() {
            return lines("accepted ").stream().map(line -> line.split(" "))
                    .filter(words -> words.length == 4 && words[2].equals("events"))
                    .flatMap(words -> Arrays.stream(words[3].split(","))).toList();
        }

        HttpResponse<String> send(String path, Map<String, String> headers, byte[] body) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach(request::header);
            try {
                return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        void stop() {
            if (tap != null) {
                tap.server.stop(0);
            }
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
