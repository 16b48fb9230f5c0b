package io.sequencer.it.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.adapters.azure.StorageClients;
import io.sequencer.adapters.json.Json;
import io.sequencer.functions.FunctionApp;
import io.sequencer.functions.StorageNames;
import io.sequencer.testing.ApiOperations;
import io.sequencer.testing.ApiOperations.Operation;
import io.sequencer.testing.Azurite;
import io.sequencer.testing.LocalHostFixture;
import io.sequencer.testing.ReliabilityFigures;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Random and hostile requests to every operation in openapi.yaml on the local host: every answer is a 2xx or a
 * 4xx (a problem+json body when the function answered), never a 5xx or a stack trace, and a rejected request
 * leaves every table row and queue as it was. Seeded, so a failure names a case that can be replayed.
 */
class HttpFuzzIT {
    static final long SEED = 20261128L;
    static final int CASES_PER_OPERATION = 20;
    static final String ACCOUNT = "fuzz";
    static final String SEQUENCE = "seq";
    static final String SUBSCRIBER = "sub";

    /** Credentials a case may carry besides the admin key: none, malformed ones, keys that do not exist. */
    static final List<String> HOSTILE_AUTHORIZATIONS = List.of("Bearer", "Bearer ", "Basic Zm9vOmJhcg==", "bearer  x",
            "Bearer sqk_", "Bearer sqk_' or ''='", "Bearer sqk_000000000000_" + "A".repeat(43),
            "Bearer sqk_0123456789ab_" + "A".repeat(44), "Bearer " + "a".repeat(20_000), "Bearer ../../etc/passwd",
            "Bearer %00", "Bearer ${jndi:ldap://x}", "Negotiate x", "Bearer a b c");

    private static Azurite storage;
    private static StorageClients clients;
    private static LocalHostFixture host;
    /** A key of the fuzzed account, sent as a Bearer token in some cases. */
    private static String accountKey;

    @BeforeAll
    static void start() {
        storage = Azurite.startPrivate(); // its own tables, so a snapshot of them is cheap and ours alone
        clients = storage.clients();
        host = LocalHostFixture.start(Map.of("AzureWebJobsStorage", storage.connectionString()), hostJson -> { });
        assertThat(host.call("PUT", "/api/accounts/" + ACCOUNT + "/sequences/" + SEQUENCE, validSequence()).statusCode()).isEqualTo(201);
        assertThat(host.call("PUT", "/api/accounts/" + ACCOUNT + "/sequences/" + SEQUENCE + "/subscribers/" + SUBSCRIBER,
                "{\"timezone\":\"Europe/Berlin\",\"attributes\":{\"plan\":\"pro\"}}").statusCode()).isEqualTo(201);
        HttpResponse<String> key = host.call("POST", "/api/accounts/" + ACCOUNT + "/keys", null);
        assertThat(key.statusCode()).isEqualTo(201);
        accountKey = Json.read(key.body()).path("key").asText();
    }

    @AfterAll
    static void stop() {
        host.close();
        storage.close();
    }

    /**
     * First step a day away, so no tick changes storage while the fuzzer compares snapshots. The receiver is on
     * loopback, which the test host allows, so that defining it asks no DNS server.
     */
    static String validSequence() {
        return """
                {"name":"Fuzzed","steps":[
                  {"id":"one","delay":{"amount":1,"unit":"days"},"message":{"text":"first"}},
                  {"id":"two","delay":{"amount":2,"unit":"days"},"message":{"text":"second"}}],
                 "channel":{"type":"webhook","url":"http://127.0.0.1:9/hook","secretSetting":"%s"}}"""
                .formatted(LocalHostFixture.hookSecretSetting(ACCOUNT));
    }

    static final List<String> HOSTILE_IDS = List.of("", " ", "a/b", "a\\b", "a#b", "a?b", "a%b", "..", ".", "a|b",
            "' or true or ''='", "x' or PartitionKey ne '", "seq' or '1'='1", "\u0000", "a\nb", "\t", "é", "😀",
            "ａｂｃ", "a".repeat(129), "a".repeat(128), "<script>alert(1)</script>", "null", "-", "_", "a b", "%2F",
            "%00", "..%2F..", "${jndi:ldap://x}", "\u202e", "\uffff", "sub", "seq", "fuzz");

    static final List<String> HOSTILE_BODIES = List.of("", "{", "}", "null", "[]", "\"text\"", "0", "-1", "true",
            "{}", "{\"\":{}}", "1e999999", "99999999999999999999999", "{\"a\":1,\"a\":2}", "\u0000", "\uFEFF{}",
            "{\"name\":1,\"steps\":{}}", "{\"steps\":[{}]}", "{\"steps\":[null]}", "{\"subscriberId\":{}}",
            "{\"subscriberId\":\"' or true\"}", "{\"subscribers\":[{\"subscriberId\":\"a/b\"}]}",
            "{\"events\":[{\"type\":\"clicked\"}]}", "{\"type\":\"clicked\",\"subscriberId\":\"sub\",\"deliveryId\":\"' or true\"}",
            "{\"timezone\":\"Mars/Olympus\"}", "{\"timezone\":\"../../etc/passwd\"}", "{\"attributes\":[]}",
            "{\"attributes\":{\"a\":{\"b\":{\"c\":1}}}}", "{\"unknown\":true}",
            "[".repeat(5000) + "]".repeat(5000), "{\"a\":".repeat(3000) + "1" + "}".repeat(3000),
            "\"" + "x".repeat(300 * 1024) + "\"", "{\"name\":\"" + "é".repeat(100_000) + "\"}",
            "\u0001\u0002\u0003", "<xml/>", "name=x&steps=y");

    static final List<String> QUERIES = List.of("", "?", "?x='%20or%20true", "?$filter=PartitionKey%20ne%20''", "?a=b&a=c",
            "?code=", "?limit=-1", "?limit=99999999999999", "?next=%00", "?cursor=../../");

    @Test
    void hostile_and_random_requests_get_2xx_or_a_4xx_problem_and_a_rejected_one_changes_nothing() {
        Random random = new Random(SEED);
        List<Operation> operations = ApiOperations.all();
        assertThat(operations).hasSizeGreaterThanOrEqualTo(17);
        ReliabilityFigures.record("fuzz.operations", operations.size());
        int cases = 0;
        int rejected = 0;
        int accepted = 0;
        int hostLevel = 0;
        List<String> failures = new ArrayList<>();
        RejectedCases rejectedCases = new RejectedCases(failures);
        // Per operation: cases its function answered (2xx, or a problem it wrote), so that a router refusing
        // everything before any function runs cannot pass.
        Map<String, Integer> reachedAFunction = new HashMap<>();
        for (Operation op : operations) {
            for (int i = 0; i < CASES_PER_OPERATION; i++) {
                Map<String, String> params = new HashMap<>();
                StringBuilder description = new StringBuilder(op.id());
                for (String name : op.parameters()) {
                    String id = pickId(random, name);
                    params.put(name, encode(id, random));
                    description.append(' ').append(name).append('=').append(Json.write(Json.MAPPER.valueToTree(id)));
                }
                String query = QUERIES.get(random.nextInt(QUERIES.size()));
                String body = pickBody(random, op);
                description.append(" query=").append(query).append(" body=")
                        .append(body.length() > 80 ? body.substring(0, 80) + "...(" + body.length() + " chars)" : body);
                Map<String, String> headers = pickCredentials(random);
                description.append(" credentials=").append(headers.keySet());
                cases++;
                Sent sent = new Sent(op.method(), op.with(params) + query, body.isEmpty() ? null : body, headers,
                        "case " + cases + " " + description);
                HttpResponse<String> response = sent.send();
                String where = sent.where();
                int status = response.statusCode();
                if (status >= 500) {
                    failures.add(where + " -> " + status + " " + response.body());
                    continue;
                }
                String text = response.body();
                if (text.contains("Exception") || text.contains("\tat ") || text.contains("io.sequencer.")
                        || text.contains(LocalHostFixture.HOOK_SECRET) || text.contains(accountKey)) {
                    failures.add(where + " -> leaks internals: " + text);
                }
                if (status >= 400) {
                    rejected++;
                    if (text.isEmpty()) {
                        // Refused by the host before any function ran: no route, a bad escape, too large.
                        hostLevel++;
                        if (!Set.of(400, 404, 405, 413).contains(status)) {
                            failures.add(where + " -> " + status + " with an empty body");
                        }
                    } else {
                        reachedAFunction.merge(op.id(), 1, Integer::sum);
                        String type = response.headers().firstValue("content-type").orElse("");
                        JsonNode problem = Json.read(text);
                        if (!type.startsWith("application/problem+json") || problem.path("status").asInt() != status) {
                            failures.add(where + " -> " + status + " not a problem: " + type + " " + text);
                        }
                    }
                    rejectedCases.add(sent);
                } else {
                    accepted++;
                    reachedAFunction.merge(op.id(), 1, Integer::sum);
                    rejectedCases.storageMoved();
                }
            }
        }
        rejectedCases.check();
        assertThat(operations).as("every operation's function answered some of its cases")
                .allSatisfy(op -> assertThat(reachedAFunction.getOrDefault(op.id(), 0)).as(op.id()).isPositive());
        assertThat(hostLevel).as("most cases reach a function").isLessThan(cases / 5);
        cases += hugeBodies(failures);
        cases += privateDestinations(failures);
        ReliabilityFigures.record("fuzz.cases", cases);
        ReliabilityFigures.record("fuzz.rejected_4xx", rejected);
        ReliabilityFigures.record("fuzz.rejected_by_the_host_before_a_function", hostLevel);
        ReliabilityFigures.record("fuzz.accepted_2xx", accepted);
        ReliabilityFigures.record("fuzz.failures", failures.size());
        assertThat(failures).as("seed " + SEED).isEmpty();
    }

    /** A request as the fuzzer sent it, to send again. */
    private record Sent(String method, String path, String body, Map<String, String> headers, String where) {
        HttpResponse<String> send() {
            return host.call(method, path, body, headers);
        }
    }

    /**
     * Checks that rejected cases leave storage as it was, some at a time: a snapshot of every table and queue after each
     * case took four fifths of this test's time. The cases rejected since the last snapshot are checked together when
     * {@link #GROUP} of them have gathered. A case the API accepts changes storage, so the rejected cases still
     * unchecked then are sent again after a fresh snapshot, where, rejected again, they must change nothing; if one of
     * them is accepted this time (an earlier case made it valid), the others are sent once more one at a time.
     */
    private static final class RejectedCases {
        private static final int GROUP = 8;
        private final List<String> failures;
        private final List<Sent> unchecked = new ArrayList<>();
        private Map<String, String> baseline = snapshot();

        RejectedCases(List<String> failures) {
            this.failures = failures;
        }

        void add(Sent rejected) {
            unchecked.add(rejected);
            if (unchecked.size() == GROUP) {
                check();
            }
        }

        /** An accepted case changed storage: the snapshot moves on, and the unchecked cases are checked again after it. */
        void storageMoved() {
            baseline = snapshot();
            if (unchecked.isEmpty()) {
                return;
            }
            List<Sent> again = List.copyOf(unchecked);
            boolean rejectedAgain = true;
            for (Sent sent : again) {
                rejectedAgain &= sent.send().statusCode() >= 400;
            }
            if (rejectedAgain) {
                check();
                return;
            }
            unchecked.clear();
            baseline = snapshot();
            for (Sent sent : again) {
                if (sent.send().statusCode() >= 400) {
                    unchecked.add(sent);
                    check();
                } else {
                    baseline = snapshot();
                }
            }
        }

        void check() {
            if (unchecked.isEmpty()) {
                return;
            }
            Map<String, String> now = snapshot();
            if (!now.equals(baseline)) {
                String which = unchecked.size() == 1 ? unchecked.get(0).where()
                        : "one of " + unchecked.stream().map(Sent::where).toList();
                failures.add(which + " -> rejected but storage changed: " + diff(baseline, now));
            }
            baseline = now;
            unchecked.clear();
        }
    }

    /**
     * URLs into the platform (loopback aside, which the test host allows) on every URL field: each a 400 problem
     * naming the field, and nothing stored.
     */
    private int privateDestinations(List<String> failures) {
        Map<String, String> before = snapshot();
        String account = "/api/accounts/" + ACCOUNT;
        int cases = 0;
        for (String h : List.of("169.254.169.254", "10.0.0.5:8080", "[fd00::1]", "[fe80::1]", "0xa9fea9fe",
                "0251.0376.0251.0376", "2852039166", "[::ffff:a9fe:a9fe]", "[64:ff9b::a00:5]", "100.64.0.1", "0.0.0.0",
                "224.0.0.1", "255.255.255.255", "012.0.0.5", "192.168.0.1.")) {
            String url = "http://" + h + "/hook";
            String channel = "{\"type\":\"webhook\",\"url\":\"" + url + "\"}";
            for (String[] call : new String[][] {
                    {account + "/sequences/" + SEQUENCE, "{\"name\":\"n\",\"steps\":[{\"id\":\"a\",\"delay\":{\"amount\":1,"
                            + "\"unit\":\"days\"},\"message\":{}}],\"channel\":" + channel + "}", "channel.url"},
                    {account + "/broadcasts/fuzz", "{\"sendAt\":\"2030-01-01T00:00:00Z\",\"channel\":" + channel
                            + ",\"message\":{\"text\":\"x\"},\"audience\":{\"everyone\":true}}", "channel.url"},
                    {account + "/notifications", "{\"url\":\"" + url + "\"}", "url"}}) {
                HttpResponse<String> response = host.call("PUT", call[0], call[1]);
                cases++;
                if (response.statusCode() != 400 || !Json.read(response.body()).path("field").asText().equals(call[2])) {
                    failures.add("PUT " + call[0] + " to " + url + " -> " + response.statusCode() + " " + response.body());
                }
            }
        }
        if (!snapshot().equals(before)) {
            failures.add("a refused private destination changed storage");
        }
        return cases;
    }

    /** Bodies past the functions' limit (256 KiB) and past the host's (16 MiB) on the body-taking operations. */
    private int hugeBodies(List<String> failures) {
        Map<String, String> before = snapshot();
        String path = "/api/accounts/" + ACCOUNT + "/sequences/" + SEQUENCE;
        String overFunctionLimit = "{\"name\":\"" + "x".repeat(300 * 1024) + "\",\"steps\":[]}";
        String overHostLimit = "x".repeat(17 * 1024 * 1024);
        int cases = 0;
        for (String body : List.of(overFunctionLimit, overHostLimit)) {
            for (String[] call : new String[][] {{"PUT", path}, {"POST", path + "/subscribers:batch"},
                    {"POST", "/api/accounts/" + ACCOUNT + "/events"}, {"PATCH", "/api/accounts/" + ACCOUNT + "/subscribers/" + SUBSCRIBER}}) {
                HttpResponse<String> response = host.call(call[0], call[1], body);
                cases++;
                if (response.statusCode() != 413) {
                    failures.add(call[0] + " " + call[1] + " with " + body.length() + " chars -> " + response.statusCode());
                }
            }
        }
        if (!snapshot().equals(before)) {
            failures.add("a refused huge body changed storage");
        }
        return cases;
    }

    /** Mostly the admin key (so the other fields are under test), else an account key, a hostile one, or none. */
    private static Map<String, String> pickCredentials(Random random) {
        int roll = random.nextInt(10);
        if (roll < 6) {
            return Map.of("x-functions-key", LocalHostFixture.FUNCTION_KEY);
        }
        if (roll < 8) {
            return Map.of("Authorization", "Bearer " + accountKey);
        }
        if (roll < 9) {
            return Map.of("Authorization", HOSTILE_AUTHORIZATIONS.get(random.nextInt(HOSTILE_AUTHORIZATIONS.size())));
        }
        return Map.of();
    }

    private static String pickId(Random random, String name) {
        int roll = random.nextInt(10);
        if (roll < 5) {
            return HOSTILE_IDS.get(random.nextInt(HOSTILE_IDS.size()));
        }
        if (roll < 7) {
            return randomText(random, 1 + random.nextInt(20));
        }
        // Valid ids (existing or new) keep the other fields under test.
        return switch (name) {
            case "account" -> ACCOUNT;
            case "sequenceId" -> random.nextBoolean() ? SEQUENCE : "new-" + random.nextInt(5);
            case "subscriberId" -> random.nextBoolean() ? SUBSCRIBER : "new-" + random.nextInt(5);
            default -> "x";
        };
    }

    private static String pickBody(Random random, Operation op) {
        int roll = random.nextInt(10);
        if (roll < 5) {
            return HOSTILE_BODIES.get(random.nextInt(HOSTILE_BODIES.size()));
        }
        if (roll < 8) {
            return mutated(random, Json.read(validBodyFor(op))).toString();
        }
        return roll == 8 ? randomText(random, random.nextInt(200)) : validBodyFor(op);
    }

    private static String validBodyFor(Operation op) {
        return switch (op.id()) {
            case "putSequence" -> validSequence();
            case "enroll" -> "{\"timezone\":\"America/New_York\",\"attributes\":{\"plan\":\"free\"}}";
            case "enrollBatch" -> "{\"subscribers\":[{\"subscriberId\":\"b1\"},{\"subscriberId\":\"b2\",\"timezone\":\"UTC\"}]}";
            case "addSubscriber" -> "{\"subscriberId\":\"added\",\"attributes\":{\"plan\":\"pro\"}}";
            case "updateSubscriber" -> "{\"attributes\":{\"plan\":null,\"age\":3}}";
            case "reportEvents" -> "{\"type\":\"clicked\",\"subscriberId\":\"sub\",\"sequenceId\":\"seq\",\"stepId\":\"one\"}";
            case "putSecret" -> "{\"value\":\"fuzzed-secret-value\",\"keepPrevious\":\"PT1H\"}";
            case "putLimits" -> "{\"perSubscriber\":[{\"max\":3,\"per\":\"P1D\",\"channel\":\"webhook\"}],\"over\":\"skip\"}";
            case "createSequenceReportLink", "createBroadcastReportLink" -> "{\"expiresIn\":\"P1D\"}";
            default -> "{}";
        };
    }

    /** The value with one random change somewhere: a field dropped, retyped, or set to a hostile value. */
    private static JsonNode mutated(Random random, JsonNode node) {
        if (node.isObject() && node.size() > 0) {
            com.fasterxml.jackson.databind.node.ObjectNode copy = node.deepCopy();
            List<String> names = new ArrayList<>();
            copy.fieldNames().forEachRemaining(names::add);
            String name = names.get(random.nextInt(names.size()));
            switch (random.nextInt(5)) {
                case 0 -> copy.remove(name);
                case 1 -> copy.set(name, mutated(random, copy.get(name)));
                case 2 -> copy.put(name, HOSTILE_IDS.get(random.nextInt(HOSTILE_IDS.size())));
                case 3 -> copy.put(name, random.nextLong());
                default -> copy.put("unknown" + random.nextInt(3), randomText(random, 5));
            }
            return copy;
        }
        if (node.isArray() && node.size() > 0) {
            com.fasterxml.jackson.databind.node.ArrayNode copy = node.deepCopy();
            int i = random.nextInt(copy.size());
            copy.set(i, mutated(random, copy.get(i)));
            return copy;
        }
        return switch (random.nextInt(4)) {
            case 0 -> Json.MAPPER.getNodeFactory().nullNode();
            case 1 -> Json.MAPPER.getNodeFactory().numberNode(-random.nextInt(1000));
            case 2 -> Json.MAPPER.getNodeFactory().textNode(randomText(random, 10));
            default -> Json.MAPPER.getNodeFactory().arrayNode();
        };
    }

    /** Any code points: controls, surrogates in pairs, specials, the lot. */
    private static String randomText(Random random, int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(4);
            int cp = switch (kind) {
                case 0 -> random.nextInt(0x20);
                case 1 -> 0x20 + random.nextInt(0x5f);
                case 2 -> 0xa0 + random.nextInt(0xd000);
                default -> 0x1f300 + random.nextInt(0x300);
            };
            text.appendCodePoint(cp);
        }
        return text.toString();
    }

    /** Percent-encoded as a client would send it; sometimes with '/', '?' and '#' left raw, as a careless one would. */
    private static String encode(String id, Random random) {
        String encoded = URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
        if (random.nextInt(4) == 0) {
            encoded = encoded.replace("%2F", "/").replace("%3F", "?").replace("%23", "%2523");
        }
        return encoded;
    }

    /** Every row of the app's tables (by key, with its ETag) and the approximate depth of its queues. */
    private static Map<String, String> snapshot() {
        Map<String, String> rows = new TreeMap<>();
        for (String name : List.of(StorageNames.SEQUENCES_TABLE, StorageNames.ENROLLMENTS_TABLE, StorageNames.SUBSCRIBERS_TABLE,
                StorageNames.NOTIFICATIONS_TABLE, StorageNames.EVENTS_TABLE, StorageNames.BROADCASTS_TABLE,
                StorageNames.API_KEYS_TABLE, StorageNames.SECRETS_TABLE, StorageNames.CAPS_TABLE)) {
            TableClient table = clients.table(name);
            for (TableEntity e : table.listEntities()) {
                // A key's use is recorded whenever it is admitted, whatever the answer: what it is must not change.
                String state = name.equals(StorageNames.API_KEYS_TABLE)
                        ? e.getProperty("account") + "|" + e.getProperty("hash") + "|" + e.getProperty("createdAt")
                        : e.getETag();
                rows.put(name + "/" + e.getPartitionKey() + "/" + e.getRowKey(), state);
            }
        }
        List<String> queues = new java.util.ArrayList<>(List.of(StorageNames.PARKING_QUEUE, StorageNames.NOTICE_QUEUE,
                StorageNames.BROADCAST_PAGE_QUEUE, StorageNames.BROADCAST_SEND_QUEUE, StorageNames.BROADCAST_PARKING_QUEUE));
        for (int shard = 0; shard < io.sequencer.domain.timer.TimerShard.MAX; shard++) {
            queues.add(StorageNames.tickQueue(shard));
        }
        for (String queue : queues) {
            rows.put("queue/" + queue, Long.toString(clients.queue(queue).getProperties().getApproximateMessagesCount()));
        }
        return rows;
    }

    private static String diff(Map<String, String> before, Map<String, String> after) {
        Map<String, String> changed = new TreeMap<>();
        after.forEach((k, v) -> {
            if (!v.equals(before.get(k))) {
                changed.put(k, before.get(k) + " -> " + v);
            }
        });
        before.keySet().stream().filter(k -> !after.containsKey(k)).forEach(k -> changed.put(k, "removed"));
        return changed.toString();
    }
}
