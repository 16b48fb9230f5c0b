package io.sequencer.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.domain.account.AppSettingPolicy;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ./run demo}: defines a three-step sequence whose webhook points at a local sink, enrolls a few
 * subscribers (one of whom leaves half-way), prints each delivery as it arrives, then the final state. The sink
 * answers as the most common small receiver does, HTTP/1.0 closing each connection without saying so, and every
 * delivery must reach it on its first attempt. Each run defines a sequence of its own ({@code welcome-<time>}), so
 * it runs again on the data the last run left in Azurite; every wait and call is bounded.
 */
final class Demo {
    private static final String ACCOUNT = "demo-account";
    private static final DateTimeFormatter RUN_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);
    /** What one call to the app may take: the demo ends with a failure rather than wait for ever. */
    private static final Duration CALL_LIMIT = Duration.ofSeconds(30);
    private static final List<String> SUBSCRIBERS = List.of("alice", "bob", "carol");
    private static final String LEAVER = "carol";
    /** The demo account's own signing-secret setting under the template: {@code SEQ_DEMO_ACCOUNT__WEBHOOK_SECRET}. */
    private static final String SECRET_NAME = "WEBHOOK_SECRET";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private final LocalHost host;
    private final Map<String, String> settings;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CALL_LIMIT).build();
    /** This run's sequence: subscribers enrolled by an earlier run stay in that run's sequence. */
    private final String sequenceId = "welcome-" + RUN_STAMP.format(Instant.now());

    Demo(LocalHost host, Map<String, String> settings) {
        this.host = host;
        this.settings = settings;
    }

    /** Returns the process exit code: 0 when every expected delivery arrived and nothing arrived after leaving. */
    int run() throws IOException, InterruptedException {
        // An account may only name settings under its own prefix; without a template the demo's webhooks go unsigned.
        Optional<String> secretSetting = AppSettingPolicy.fromSettings(settings::get).prefixFor(ACCOUNT)
                .map(prefix -> prefix + SECRET_NAME);
        String secret = secretSetting.map(settings::get).orElse(null);
        boolean signed = secret != null && !secret.isEmpty();
        if (!signed) {
            System.out.println("Webhooks go unsigned: no " + secretSetting.orElse(AppSettingPolicy.TEMPLATE_SETTING) + " set.");
        }
        ReceiverConnections connections = new ReceiverConnections.Http10ClosesSilently();
        try (WebhookSink sink = new WebhookSink(signed ? secret : null, connections)) {
            System.out.println("Webhook receiver " + sink.url() + ": " + connections.describe());
            sink.onReceive(r -> System.out.printf("  delivered  %-6s step %-9s due %s  arrived %s  late %4d ms  attempt %d  %s%s%n",
                    r.subscriberId(), r.stepId(), TIME.format(r.dueAt()), TIME.format(r.receivedAt()),
                    Duration.between(r.dueAt(), r.receivedAt()).toMillis(), r.attempt(), r.deliveryId(),
                    r.signatureValid() == null ? "" : r.signatureValid() ? "  signature ok" : "  SIGNATURE BAD"));
            String path = "/api/accounts/" + ACCOUNT + "/sequences/" + sequenceId;
            HttpResponse<String> defined = call("PUT", path, sequence(sink.url(), signed ? secretSetting : Optional.empty()).toString());
            System.out.println("PUT " + path + " -> " + defined.statusCode() + " (version "
                    + Json.read(defined.body()).path("version").asText() + ")");
            for (String subscriber : SUBSCRIBERS) {
                HttpResponse<String> enrolled = call("PUT", path + "/subscribers/" + subscriber, null);
                JsonNode e = Json.read(enrolled.body());
                System.out.println("PUT " + path + "/subscribers/" + subscriber + " -> " + enrolled.statusCode()
                        + " status=" + e.path("status").asText() + " next=" + e.path("nextStepId").asText()
                        + " due=" + e.path("nextDueAt").asText() + " epoch=" + e.path("epoch").asText());
            }
            waitFor(() -> sink.received().stream().anyMatch(r -> r.subscriberId().equals(LEAVER)), Duration.ofSeconds(30));
            HttpResponse<String> left = call("DELETE", path + "/subscribers/" + LEAVER, null);
            Instant leftAt = Instant.now();
            System.out.println("DELETE " + path + "/subscribers/" + LEAVER + " -> " + left.statusCode()
                    + " status=" + Json.read(left.body()).path("status").asText());
            int expected = (SUBSCRIBERS.size() - 1) * 3;
            waitFor(() -> sink.received().stream().filter(r -> !r.subscriberId().equals(LEAVER)).count() >= expected,
                    Duration.ofSeconds(60));
            Thread.sleep(2000); // anything still due for the leaver would have arrived by now
            System.out.println("Final state:");
            for (String subscriber : SUBSCRIBERS) {
                JsonNode e = Json.read(call("GET", path + "/subscribers/" + subscriber, null).body());
                System.out.printf("  %-6s status=%-9s stepsSent=%s epoch=%s%n", subscriber, e.path("status").asText(),
                        e.path("stepsSent").asText(), e.path("epoch").asText());
            }
            long afterLeaving = sink.received().stream()
                    .filter(r -> r.subscriberId().equals(LEAVER) && r.receivedAt().isAfter(leftAt)).count();
            long delivered = sink.received().stream().filter(r -> !r.subscriberId().equals(LEAVER)).count();
            long retried = sink.received().stream().filter(r -> r.attempt() != 1).count();
            boolean ok = delivered == expected && afterLeaving == 0 && retried == 0
                    && sink.received().stream().allMatch(r -> r.signatureValid() == null || r.signatureValid());
            System.out.println((ok ? "Demo finished: " : "Demo FAILED: ") + delivered + "/" + expected
                    + " deliveries to staying subscribers, " + afterLeaving + " after leaving, " + retried
                    + " not on the first attempt.");
            return ok ? 0 : 1;
        }
    }

    private static ObjectNode sequence(String webhookUrl, Optional<String> secretSetting) {
        ObjectNode seq = Json.object();
        seq.put("name", "Welcome series (demo)");
        ArrayNode steps = seq.putArray("steps");
        step(steps, "welcome", 0, "Welcome aboard!");
        step(steps, "tips", 3, "Three tips to get started");
        step(steps, "offer", 4, "A little something for you");
        ObjectNode channel = seq.putObject("channel");
        channel.put("type", "webhook");
        channel.put("url", webhookUrl);
        secretSetting.ifPresent(name -> channel.put("secretSetting", name));
        return seq;
    }

    private static void step(ArrayNode steps, String id, int seconds, String text) {
        ObjectNode step = steps.addObject();
        step.put("id", id);
        step.putObject("delay").put("amount", seconds).put("unit", "seconds");
        step.putObject("message").put("text", text);
    }

    private HttpResponse<String> call(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(host.baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").timeout(CALL_LIMIT);
        String key = settings.getOrDefault(LocalHost.FUNCTION_KEY_SETTING, "");
        if (!key.isEmpty()) {
            request.header("x-functions-key", key);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response;
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, Duration limit) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (!condition.getAsBoolean() && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
    }
}
