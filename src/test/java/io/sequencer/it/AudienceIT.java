package io.sequencer.it;

import io.sequencer.domain.timer.TimerShard;
import static io.sequencer.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.TableServiceClientBuilder;
import com.azure.data.tables.models.TableEntity;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.QueueServiceClient;
import com.azure.storage.queue.QueueServiceClientBuilder;
import com.azure.storage.queue.models.PeekedMessageItem;
import com.azure.storage.queue.models.QueueStorageException;
import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.functions.StorageNames;
import io.sequencer.local.WebhookSink;
import io.sequencer.testing.Azurite;
import io.sequencer.testing.LocalHostFixture;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A sequence's audience over HTTP on the local host, on an Azurite of its own: enrollments listed in pages with
 * filters, and a subscriber erased (with a bulk job listing them and an import whose row error names them), after
 * which no table row and no visible queue message names them.
 */
class AudienceIT {
    private static Azurite storage;
    private static LocalHostFixture host;
    private static WebhookSink sink;

    @BeforeAll
    static void start() throws Exception {
        // Its own storage, so that reading every table and queue reads this test's data and no other's.
        storage = Azurite.startPrivate();
        host = LocalHostFixture.start(Map.of("AzureWebJobsStorage", storage.connectionString()), json -> { });
        sink = new WebhookSink(LocalHostFixture.HOOK_SECRET);
    }

    @AfterAll
    static void stop() {
        sink.close();
        host.close();
        storage.close();
    }

    private static String sequence(String account, String name, long secondsToSecondStep) {
        return """
                {"name":"%s","steps":[
                  {"id":"hello","delay":{"amount":0,"unit":"seconds"},"message":{"text":"hello"}},
                  {"id":"later","delay":{"amount":%d,"unit":"seconds"},"message":{"text":"later"}}],
                 "channel":{"type":"webhook","url":"%s","secretSetting":"%s"}}"""
                .formatted(name, secondsToSecondStep, sink.url(), LocalHostFixture.hookSecretSetting(account));
    }

    private static JsonNode get(String path) {
        HttpResponse<String> response = host.call("GET", path, null);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return Json.read(response.body());
    }

    private static List<String> listAll(String path, String query, int limit) {
        List<String> ids = new ArrayList<>();
        String continuation = null;
        int pages = 0;
        do {
            JsonNode page = get(path + "?limit=" + limit + query
                    + (continuation == null ? "" : "&continuation=" + continuation));
            assertThat(page.path("subscribers").size()).isLessThanOrEqualTo(limit);
            page.path("subscribers").forEach(item -> ids.add(item.path("subscriberId").asText()));
            continuation = page.path("continuation").isNull() ? null : page.path("continuation").asText();
            assertThat(++pages).isLessThan(100);
        } while (continuation != null);
        return ids;
    }

    private static void assertProblem(String path, int status, String field) {
        HttpResponse<String> response = host.call("GET", path, null);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
        if (field != null) {
            assertThat(Json.read(response.body()).path("field").asText()).isEqualTo(field);
        }
    }

    @Test
    void a_sequences_enrollments_come_in_pages_in_id_order_filtered_by_status_and_step() {
        String account = "audience-" + UUID.randomUUID().toString().substring(0, 8);
        String base = "/api/accounts/" + account + "/sequences/drip";
        assertThat(host.call("PUT", base, sequence(account, "Drip", 86_400)).statusCode()).isEqualTo(201);
        List<String> everyone = IntStream.range(0, 23).mapToObj(i -> String.format("s%02d", i)).toList();
        // Enrolled out of order: the listing's order is the ids', not the enrollments'.
        IntStream.range(0, everyone.size()).mapToObj(i -> everyone.get(everyone.size() - 1 - i)).forEach(id -> assertThat(host.call("PUT", base + "/subscribers/" + id, null).statusCode())
                .isEqualTo(201));
        await(() -> sink.received().stream().filter(r -> r.payload().path("account").asText().equals(account))
                .count() >= everyone.size(), Duration.ofSeconds(60));
        assertThat(host.call("DELETE", base + "/subscribers/s05", null).statusCode()).isEqualTo(200);

        assertThat(listAll(base + "/subscribers", "", 4)).isEqualTo(everyone);
        assertThat(listAll(base + "/subscribers", "", 1000)).isEqualTo(everyone);
        assertThat(listAll(base + "/subscribers", "&status=left", 2)).containsExactly("s05");
        List<String> waiting = new ArrayList<>(everyone);
        waiting.remove("s05");
        assertThat(listAll(base + "/subscribers", "&status=active&stepId=later", 5)).isEqualTo(waiting);
        assertThat(listAll(base + "/subscribers", "&stepId=hello", 5)).isEmpty();
        assertThat(listAll(base + "/subscribers", "&status=completed,left", 5)).containsExactly("s05");

        JsonNode first = get(base + "/subscribers?limit=1").path("subscribers").get(0);
        JsonNode one = get(base + "/subscribers/s00");
        assertThat(first).as("an item is what reading the enrollment shows").isEqualTo(one);
        assertThat(first.path("nextStepId").asText()).isEqualTo("later");
        assertThat(first.path("stepsSent").asInt()).isEqualTo(1);

        String token = get(base + "/subscribers?limit=2&status=active").path("continuation").asText();
        assertProblem(base + "/subscribers?limit=2&continuation=" + token, 400, "continuation");
        assertProblem(base + "/subscribers?limit=0", 400, "limit");
        assertProblem(base + "/subscribers?limit=1001", 400, "limit");
        assertProblem(base + "/subscribers?limit=ten", 400, "limit");
        assertProblem(base + "/subscribers?status=waiting", 400, "status");
        assertProblem(base + "/subscribers?stepId=a%20b", 400, "stepId");
        assertProblem(base + "/subscribers?continuation=bm90LW91cnM", 400, "continuation");
        assertProblem("/api/accounts/" + account + "/sequences/nothing/subscribers", 404, null);
    }

    @Test
    void an_erased_subscriber_is_named_by_no_row_and_by_no_visible_message_and_may_opt_in_afresh() throws Exception {
        String account = "erasure-" + UUID.randomUUID().toString().substring(0, 8);
        String gone = "gdpr-" + UUID.randomUUID();
        String api = "/api/accounts/" + account;
        assertThat(host.call("PUT", api + "/sequences/drip", sequence(account, "Drip", 86_400)).statusCode()).isEqualTo(201);
        assertThat(host.call("PUT", api + "/sequences/soon", sequence(account, "Soon", 8)).statusCode()).isEqualTo(201);
        assertThat(host.call("PUT", api + "/sequences/drip/subscribers/" + gone,
                "{\"attributes\":{\"email_hint\":\"" + gone + "@example.com\"}}").statusCode()).isEqualTo(201);
        assertThat(host.call("PUT", api + "/sequences/drip/subscribers/keeper", null).statusCode()).isEqualTo(201);
        // A write with an Idempotency-Key keeps its answer, which names the subscriber, for 24 hours.
        assertThat(host.call("PUT", api + "/sequences/soon/subscribers/" + gone, null, Map.of("x-functions-key",
                LocalHostFixture.FUNCTION_KEY, "Idempotency-Key", "\"erasure-enroll-1\"")).statusCode()).isEqualTo(201);
        Instant soonDue = Instant.now().plusSeconds(8);
        assertThat(host.call("POST", api + "/events", "{\"type\":\"converted\",\"subscriberId\":\"" + gone
                + "\",\"sequenceId\":\"drip\"}").statusCode()).isEqualTo(200);
        assertThat(host.call("PUT", api + "/broadcasts/promo", """
                {"sendAt":"%s","channel":{"type":"webhook","url":"%s","secretSetting":"%s"},"message":{"text":"sale"},
                 "audience":{"subscribers":["%s","keeper"]}}""".formatted(Instant.now().plus(Duration.ofDays(2)),
                sink.url(), LocalHostFixture.hookSecretSetting(account), gone)).statusCode()).isEqualTo(201);
        // Each first step sent and committed, so each second step's timer is queued (before its commit).
        for (String enrollment : List.of("drip/subscribers/" + gone, "soon/subscribers/" + gone, "drip/subscribers/keeper")) {
            await(() -> get(api + "/sequences/" + enrollment).path("stepsSent").asInt() == 1, Duration.ofSeconds(60));
        }
        // A bulk job lists them, and an import's row error names them: enrolling them again in a one-step sequence
        // they completed, whose re-entry policy is never, is refused naming the subscriber.
        assertThat(host.call("PUT", api + "/sequences/once", """
                {"name":"Once","steps":[{"id":"hello","delay":{"amount":0,"unit":"seconds"},"message":{"text":"hi"}}],
                 "channel":{"type":"webhook","url":"%s","secretSetting":"%s"}}""".formatted(sink.url(),
                LocalHostFixture.hookSecretSetting(account))).statusCode()).isEqualTo(201);
        assertThat(host.call("PUT", api + "/sequences/once/subscribers/" + gone, null).statusCode()).isEqualTo(201);
        await(() -> get(api + "/sequences/once/subscribers/" + gone).path("status").asText().equals("completed"),
                Duration.ofSeconds(60));
        HttpResponse<String> imported = host.call("POST", api + "/subscribers:import?format=csv",
                "subscriberId,sequences\r\n" + gone + ",once\r\nkeeper,\r\n");
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(202);
        String importId = Json.read(imported.body()).path("importId").asText();
        await(() -> get(api + "/imports/" + importId).path("status").asText().equals("completed"),
                Duration.ofSeconds(60));
        assertThat(get(api + "/imports/" + importId).path("errors").toString()).as("the row error names them")
                .contains(gone);
        HttpResponse<String> bulk = host.call("POST", api + "/sequences/once/subscribers:leave",
                "{\"subscriberIds\":[\"" + gone + "\",\"nobody-else\"]}");
        assertThat(bulk.statusCode()).as(bulk.body()).isEqualTo(202);
        String jobId = Json.read(bulk.body()).path("id").asText();
        await(() -> get(api + "/jobs/" + jobId).path("status").asText().equals("done"), Duration.ofSeconds(60));
        assertThat(get(api + "/subscribers/" + gone + "/timeline").path("entries").size()).isGreaterThan(2);
        assertThat(namingIn(gone).tables()).as("the subscriber is stored before the erasure").isNotEmpty();
        long hiddenBefore = hiddenTimers();

        assertThat(host.call("DELETE", api + "/subscribers/" + gone + "?erase=true", null).statusCode()).isEqualTo(204);
        assertThat(host.call("DELETE", api + "/subscribers/" + gone + "?erase=true", null).statusCode())
                .as("a repeat finds nothing left and answers the same").isEqualTo(204);
        int sentBeforeErasure = (int) sink.received().stream().filter(r -> r.subscriberId().equals(gone)).count();

        assertThat(host.call("GET", api + "/subscribers/" + gone, null).statusCode()).isEqualTo(404);
        assertThat(host.call("GET", api + "/sequences/drip/subscribers/" + gone, null).statusCode()).isEqualTo(404);
        assertThat(host.call("GET", api + "/subscribers/" + gone + "/timeline", null).statusCode()).isEqualTo(404);
        assertThat(listAll(api + "/sequences/drip/subscribers", "", 10)).containsExactly("keeper");
        JsonNode report = get(api + "/sequences/drip/report");
        assertThat(report.toString()).as("reports keep counts, never ids").doesNotContain(gone);

        // The tick of "soon"'s second step was queued before the erasure and is hidden until it is due: once due,
        // the trigger takes it, finds no enrollment and no profile, and drops it without a write.
        await(() -> Instant.now().isAfter(soonDue.plusSeconds(2)) && namingIn(gone).messages().isEmpty(),
                Duration.ofSeconds(60));
        Found left = namingIn(gone);
        assertThat(left.tables()).as("rows naming the subscriber").isEmpty();
        assertThat(left.messages()).as("visible messages naming the subscriber").isEmpty();
        // What is left is hidden: "drip"'s second step, due in a day, waits in the parking queue, where no read
        // can see it; it is dropped like the first when it comes due. Nothing was added: one timer fewer than
        // before the erasure, the one just dropped.
        assertThat(hiddenTimers()).isEqualTo(hiddenBefore - 1);
        assertThat(sink.received().stream().filter(r -> r.subscriberId().equals(gone)).count())
                .as("nothing sent after the erasure").isEqualTo(sentBeforeErasure);
        assertThat(get(api + "/broadcasts/promo").toString()).doesNotContain(gone);
        JsonNode job = get(api + "/jobs/" + jobId);
        assertThat(job.toString()).doesNotContain(gone);
        assertThat(job.path("processed").asInt()).as("the job's counts are kept").isEqualTo(2);
        JsonNode importErrors = get(api + "/imports/" + importId).path("errors");
        assertThat(importErrors).hasSize(1);
        assertThat(importErrors.get(0).path("reason").asText()).isEqualTo("names a subscriber who was erased");

        // No tombstone: the same id may opt in afresh.
        assertThat(host.call("PUT", api + "/sequences/drip/subscribers/" + gone, null).statusCode()).isEqualTo(201);
        assertThat(get(api + "/subscribers/" + gone).path("optedOut").asBoolean(true)).isFalse();
    }

    /** Table rows and visible queue messages that name {@code id} anywhere: keys, properties, gzipped bodies. */
    private record Found(List<String> tables, List<String> messages) {}

    private static Found namingIn(String id) {
        TableServiceClient tables = new TableServiceClientBuilder().connectionString(storage.connectionString())
                .buildClient();
        List<String> rows = new ArrayList<>();
        tables.listTables().forEach(table -> {
            for (TableEntity row : tables.getTableClient(table.getName()).listEntities()) {
                StringBuilder text = new StringBuilder(row.getPartitionKey()).append(' ').append(row.getRowKey());
                row.getProperties().forEach((name, value) -> text.append(' ').append(readable(value)));
                if (text.indexOf(id) >= 0) {
                    rows.add(table.getName() + ": " + row.getPartitionKey() + " / " + row.getRowKey());
                }
            }
        });
        List<String> messages = new ArrayList<>();
        for (String name : queueNames()) {
            QueueClient queue = new QueueClientBuilder().connectionString(storage.connectionString())
                    .queueName(name).messageEncoding(QueueMessageEncoding.NONE).buildClient();
            List<PeekedMessageItem> visible;
            try {
                visible = queue.peekMessages(32, null, null).stream().toList();
            } catch (QueueStorageException missing) {
                if (missing.getStatusCode() != 404) {
                    throw missing;
                }
                continue; // never created: nothing was ever put there
            }
            for (PeekedMessageItem message : visible) {
                String body = message.getBody().toString();
                String decoded = body;
                try {
                    decoded = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException plain) {
                    // Not base64: read as it is.
                }
                if (body.contains(id) || decoded.contains(id)) {
                    messages.add(name + ": " + decoded);
                }
            }
        }
        return new Found(rows, messages);
    }

    /**
     * Every queue the app names (StorageNames) and the poison queue the host makes beside each. (Azurite answers
     * the SDK's list-queues request with a 400, so the names are taken from the app.)
     */
    private static List<String> queueNames() {
        List<String> names = new ArrayList<>();
        for (java.lang.reflect.Field field : StorageNames.class.getFields()) {
            if (field.getName().endsWith("_QUEUE") && field.getType() == String.class) {
                try {
                    String name = (String) field.get(null);
                    names.add(name);
                    names.add(name + "-poison");
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return names.stream().distinct().toList();
    }

    /** A property as text; binary ones (gzipped answer bodies) unzipped when they are gzip. */
    private static String readable(Object value) {
        if (value instanceof byte[] bytes) {
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException notGzip) {
                return new String(bytes, StandardCharsets.ISO_8859_1);
            }
        }
        return String.valueOf(value);
    }

    /** Timers waiting in the triggered queues (every shard's) and the parking queue, visible or not. */
    private static long hiddenTimers() {
        QueueServiceClient queues = new QueueServiceClientBuilder().connectionString(storage.connectionString())
                .buildClient();
        return java.util.stream.Stream.concat(java.util.stream.IntStream.range(0, TimerShard.MAX)
                                .mapToObj(StorageNames::tickQueue), java.util.stream.Stream.of(StorageNames.PARKING_QUEUE))
                .mapToLong(name -> queues.getQueueClient(name).getProperties().getApproximateMessagesCount()).sum();
    }
}
