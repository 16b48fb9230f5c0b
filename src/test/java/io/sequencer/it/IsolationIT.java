package io.sequencer.it;

import static io.sequencer.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.testing.ApiOperations;
import io.sequencer.testing.ApiOperations.Operation;
import io.sequencer.testing.Azurite;
import io.sequencer.testing.LocalHostFixture;
import io.sequencer.testing.ReliabilityFigures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One account can never read, change, enroll into or report on another's sequences, through any operation;
 * every operation but health needs the function key; no secret appears in any response or log line.
 */
class IsolationIT {
    private static final String OWNER = "owner-acct";
    private static final String INTRUDER = "intruder-acct";
    /** The reads that list what an account has; every other read names one thing, which another account lacks. */
    private static final Set<String> COLLECTIONS =
            Set.of("listSequences", "getTimeline", "getNotifications", "listSecrets", "listAccountKeys",
                    "exportSubscribers", "exportEnrollments", "exportAccountEnrollments");
    private static final String STORAGE_KEY_PART = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq";

    private static Azurite storage;
    private static LocalHostFixture host;
    private static final StringBuilder logs = new StringBuilder();
    private static final List<String> responses = new ArrayList<>();
    private static Handler capture;
    private static PrintStream originalErr;
    private static PrintStream originalOut;
    private static ByteArrayOutputStream console = new ByteArrayOutputStream();

    @BeforeAll
    static void start() {
        capture = new Handler() {
            private final SimpleFormatter format = new SimpleFormatter();

            @Override
            public synchronized void publish(LogRecord record) {
                logs.append(format.format(record));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger.getLogger("").addHandler(capture);
        originalErr = System.err;
        originalOut = System.out;
        System.setErr(new PrintStream(new Tee(originalErr, console), true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(new Tee(originalOut, console), true, StandardCharsets.UTF_8));
        storage = Azurite.startPrivate();
        host = LocalHostFixture.start(Map.of("AzureWebJobsStorage", storage.connectionString()), hostJson -> { });
    }

    @AfterAll
    static void stop() {
        host.close();
        storage.close();
        Logger.getLogger("").removeHandler(capture);
        System.setErr(originalErr);
        System.setOut(originalOut);
    }

    private static HttpResponse<String> call(String method, String path, String body) {
        HttpResponse<String> response = host.call(method, path, body);
        responses.add(response.body());
        return response;
    }

    private static String sequence(String account, String name, String text, String url) {
        return """
                {"name":"%s","steps":[
                  {"id":"one","delay":{"amount":0,"unit":"seconds"},"message":{"text":"%s"}},
                  {"id":"two","delay":{"amount":1,"unit":"days"},"message":{"text":"second"}}],
                 "channel":{"type":"webhook","url":"%s","secretSetting":"%s"}}""".formatted(name, text, url,
                LocalHostFixture.hookSecretSetting(account));
    }

    @Test
    void another_account_reaches_nothing_of_the_owners_through_any_operation_and_no_secret_leaks() {
        // The owner's sequence sends to a port nobody listens on: its tick fails and retries, and logs so.
        String url = "http://127.0.0.1:" + Azurite.freePort() + "/hook";
        String owner = "/api/accounts/" + OWNER;
        assertThat(call("PUT", owner + "/sequences/seq", sequence(OWNER, "Owner's", "owner-first-text", url)).statusCode()).isEqualTo(201);
        assertThat(call("PUT", owner + "/sequences/seq/subscribers/sub", "{\"attributes\":{\"plan\":\"owner-plan-value\"}}").statusCode()).isEqualTo(201);
        await(() -> logs.toString().contains("account=" + OWNER), Duration.ofSeconds(30));
        String ownerSequence = call("GET", owner + "/sequences/seq", null).body();
        String ownerEnrollment = call("GET", owner + "/sequences/seq/subscribers/sub", null).body();
        String ownerProfile = call("GET", owner + "/subscribers/sub", null).body();
        assertThat(call("PUT", owner + "/sequences/seq/subscribers/sub2", null).statusCode()).isEqualTo(201);
        String ownerToken = Json.read(call("GET", owner + "/sequences/seq/subscribers?limit=1", null).body())
                .path("continuation").asText();
        assertThat(ownerToken).as("the owner's listing goes on past its first enrollment").isNotBlank();
        assertThat(call("PUT", owner + "/broadcasts/promo", """
                {"sendAt":"%s","channel":{"type":"webhook","url":"%s"},"message":{"text":"owner-first-text"},
                 "audience":{"subscribers":["sub"]}}""".formatted(Instant.now().plus(Duration.ofDays(2)), url))
                .statusCode()).isEqualTo(201);
        String ownerBroadcast = call("GET", owner + "/broadcasts/promo", null).body();
        assertThat(call("PUT", owner + "/limits", "{\"perSubscriber\":[{\"max\":7,\"per\":\"P3D\"}]}").statusCode())
                .isEqualTo(200);
        String ownerLimits = call("GET", owner + "/limits", null).body();
        HttpResponse<String> ownerJob = call("POST", owner + "/sequences/seq/subscribers:move",
                "{\"toStepId\":\"two\",\"subscriberIds\":[\"sub2\"]}");
        assertThat(ownerJob.statusCode()).as(ownerJob.body()).isEqualTo(202);
        String ownerJobId = Json.read(ownerJob.body()).path("id").asText();

        String intruder = "/api/accounts/" + INTRUDER;
        int tried = 0;
        // Every read comes before any write of the intruder's, so a read can only answer 404 or an empty result:
        // nothing the intruder could see is its own yet.
        List<Operation> readsFirst = ApiOperations.all().stream()
                .sorted(Comparator.comparing((Operation op) -> !op.method().equals("GET"))).toList();
        for (Operation op : readsFirst) {
            if (!op.path().contains("{account}")) {
                continue;
            }
            String path = op.with(Map.of("account", INTRUDER, "sequenceId", "seq", "subscriberId", "sub",
                    "broadcastId", "promo", "prefix", "0123456789ab", "name", "hook", "stepId", "hi", "importId", "imp-0123",
                    "part", "2", "jobId", ownerJobId));
            String body = switch (op.id()) {
                case "putSequence" -> null; // would define the intruder's own sequence; checked below
                case "enroll" -> "{}";
                case "enrollBatch" -> "{\"subscribers\":[{\"subscriberId\":\"sub\"}]}";
                case "addSubscriber" -> "{\"subscriberId\":\"sub\"}";
                case "updateSubscriber" -> "{\"attributes\":{\"plan\":\"stolen\"}}";
                case "reportEvents" -> "{\"type\":\"converted\",\"subscriberId\":\"sub\",\"sequenceId\":\"seq\"}";
                case "putLimits" -> "{\"perSubscriber\":[{\"max\":1,\"per\":\"PT1M\"}]}";
                case "reportBroadcastEvents" -> "{\"events\":[{\"subscriberId\":\"sub\",\"type\":\"clicked\"}]}";
                case "previewStep" -> "{\"subscriberId\":\"sub\"}";
                case "importSubscribers", "putImportPart" -> "{\"subscriberId\":\"sub\"}\n";
                case "testSendStep" -> "{\"to\":\"https://tester.example/hook\",\"subscriberId\":\"sub\"}";
                case "leaveInBulk" -> "{\"subscriberIds\":[\"sub\"]}";
                case "moveInBulk" -> "{\"toStepId\":\"two\",\"filter\":{}}";
                default -> null;
            };
            if (op.id().equals("putSequence")) {
                continue;
            }
            HttpResponse<String> response = call(op.method(), path, body);
            tried++;
            assertThat(response.statusCode()).as(op.id()).isLessThan(500);
            assertThat(response.body()).as(op.id() + " shows nothing of the owner's").doesNotContain("Owner's", "owner-first-text", "owner-plan-value");
            if (op.method().equals("GET")) {
                // The same ids under the intruder's account find nothing: a resource is not found, a collection is
                // not found or empty.
                if (COLLECTIONS.contains(op.id())) {
                    assertThat(response.statusCode()).as(op.id() + ": " + response.body()).isIn(200, 404);
                    if (response.statusCode() == 200) {
                        assertThat(emptyResult(response)).as(op.id() + " finds nothing: " + response.body()).isTrue();
                    }
                } else {
                    assertThat(response.statusCode()).as(op.id() + ": " + response.body()).isEqualTo(404);
                }
            }
        }
        // The intruder defining a sequence of the same id gets its own, and enrolling into it touches nobody else's.
        assertThat(call("PUT", intruder + "/sequences/seq", sequence(INTRUDER, "Intruder's", "mine",
                "http://127.0.0.1:" + Azurite.freePort() + "/intruder")).statusCode()).isEqualTo(201);
        // (the loop above opted the intruder's own "sub" out; a re-subscription made since lifts that)
        assertThat(call("POST", intruder + "/subscribers", "{\"subscriberId\":\"sub\",\"resubscribedAt\":\""
                + Instant.now() + "\"}").statusCode()).isEqualTo(200);
        assertThat(call("PUT", intruder + "/sequences/seq/subscribers/sub", null).statusCode()).isEqualTo(201);
        assertThat(call("DELETE", intruder + "/sequences/seq/subscribers/sub", null).statusCode()).isEqualTo(200);
        assertThat(call("DELETE", intruder + "/subscribers/sub", null).statusCode()).isEqualTo(200);
        // The owner's continuation token opens nothing under the intruder's sequence of the same id.
        HttpResponse<String> borrowed = call("GET", intruder + "/sequences/seq/subscribers?limit=1&continuation="
                + ownerToken, null);
        assertThat(borrowed.statusCode()).as(borrowed.body()).isEqualTo(400);
        assertThat(Json.read(borrowed.body()).path("field").asText()).isEqualTo("continuation");
        JsonNode intrudersOwn = Json.read(call("GET", intruder + "/sequences/seq/subscribers", null).body());
        assertThat(intrudersOwn.path("subscribers")).extracting(n -> n.path("subscriberId").asText()).containsExactly("sub");
        // Erasing the intruder's own "sub" leaves the owner's "sub" as it was (checked below).
        assertThat(call("DELETE", intruder + "/subscribers/sub?erase=true", null).statusCode()).isEqualTo(204);
        assertThat(call("DELETE", intruder + "/sequences/seq", null).statusCode()).isEqualTo(200);
        JsonNode list = Json.read(call("GET", intruder + "/sequences", null).body());
        assertThat(list.toString()).doesNotContain("Owner's");
        tried += 10;

        assertThat(call("GET", owner + "/sequences/seq", null).body()).as("owner's sequence unchanged").isEqualTo(ownerSequence);
        assertThat(call("GET", owner + "/broadcasts/promo", null).body()).as("owner's broadcast unchanged")
                .isEqualTo(ownerBroadcast);
        assertThat(call("GET", owner + "/limits", null).body()).as("owner's caps unchanged").isEqualTo(ownerLimits);
        assertThat(Json.read(call("GET", owner + "/jobs/" + ownerJobId, null).body()).path("sequenceId").asText())
                .as("owner's job still the owner's").isEqualTo("seq");
        JsonNode enrollment = Json.read(call("GET", owner + "/sequences/seq/subscribers/sub", null).body());
        assertThat(enrollment.path("status").asText()).isEqualTo("active");
        assertThat(enrollment.path("epoch")).isEqualTo(Json.read(ownerEnrollment).path("epoch"));
        JsonNode profile = Json.read(call("GET", owner + "/subscribers/sub", null).body());
        assertThat(profile.path("attributes")).isEqualTo(Json.read(ownerProfile).path("attributes"));
        assertThat(profile.path("optedOut").asBoolean(false)).isFalse();

        String everything = String.join("\n", responses) + logs + console.toString(StandardCharsets.UTF_8);
        assertThat(everything).as("responses and logs").doesNotContain(LocalHostFixture.HOOK_SECRET, STORAGE_KEY_PART,
                LocalHostFixture.FUNCTION_KEY);
        assertThat(logs.toString()).as("the failing owner's tick was logged").contains("account=" + OWNER);
        ReliabilityFigures.record("isolation.cross_account_requests", tried);
    }

    @Test
    void every_operation_but_health_refuses_a_missing_or_wrong_function_key() {
        // A report link's page takes its token and nothing else: no key opens it, the right one included.
        Set<String> tokenOnly = Set.of("getSharedReportPage", "getSharedReportCsv");
        int refused = 0;
        for (Operation op : ApiOperations.all()) {
            String path = op.with(Map.of("account", OWNER, "sequenceId", "seq", "subscriberId", "sub", "broadcastId", "promo",
                    "prefix", "0123456789ab", "name", "hook", "stepId", "hi", "importId", "imp-0123", "part", "2",
                    "jobId", "job-none"));
            String body = op.method().equals("GET") || op.method().equals("DELETE") ? null : "{}";
            List<HttpResponse<String>> answers = List.of(
                    host.call(op.method(), path, body, Map.of()),
                    host.call(op.method(), path, body, Map.of("x-functions-key", "wrong-key")),
                    host.call(op.method(), path + "?code=wrong-key", body, Map.of()),
                    host.call(op.method(), path, body, Map.of("x-functions-key", LocalHostFixture.FUNCTION_KEY + "x")));
            for (HttpResponse<String> answer : answers) {
                if (op.id().equals("health")) {
                    assertThat(answer.statusCode()).isEqualTo(200);
                } else if (tokenOnly.contains(op.id())) {
                    assertThat(answer.statusCode()).as(op.id() + " without a token").isEqualTo(403);
                    refused++;
                } else {
                    assertThat(answer.statusCode()).as(op.id() + " without the right key").isEqualTo(401);
                    refused++;
                }
            }
            HttpResponse<String> withCode = host.call(op.method(), path + "?code=" + LocalHostFixture.FUNCTION_KEY, body, Map.of());
            assertThat(withCode.statusCode()).as(op.id() + " with the key as ?code")
                    .isEqualTo(tokenOnly.contains(op.id()) ? 403 : withCode.statusCode()).isNotEqualTo(401);
        }
        ReliabilityFigures.record("isolation.requests_refused_without_the_key", refused);
    }

    /** A 200 that holds nothing: every list in it, at any depth, is empty. */
    private static boolean emptyResult(HttpResponse<String> response) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.contains("json") || type.contains("ndjson")) {
            return response.body().isBlank();
        }
        return noItems(Json.read(response.body()));
    }

    private static boolean noItems(JsonNode node) {
        if (node.isArray()) {
            return node.isEmpty();
        }
        for (JsonNode child : node) {
            if (!noItems(child)) {
                return false;
            }
        }
        return true;
    }

    /** Writes to two streams. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public synchronized void write(byte[] bytes, int off, int len) throws IOException {
            a.write(bytes, off, len);
            b.write(bytes, off, len);
        }
    }
}
