package io.sequencer.it;

import io.sequencer.functions.StorageNames;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.data.tables.models.TableEntity;
import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.domain.Sha256;
import io.sequencer.functions.FunctionApp;
import io.sequencer.testing.ApiOperations;
import io.sequencer.testing.ApiOperations.Operation;
import io.sequencer.testing.Azurite;
import io.sequencer.testing.LocalHostFixture;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Account API keys on the local host, against Azurite: the admin issues, lists and revokes them; a key opens its own
 * account's routes and nothing else; every misuse is refused, with no difference between "exists" and "does not".
 */
class AccountKeysIT {
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String ACME = "acme-" + RUN;
    private static final String OWNER = "owner-" + RUN;
    private static final String NOBODY = "nobody-" + RUN;
    /** Routes only the admin key opens. */
    private static final Set<String> ADMIN_ONLY = Set.of("createAccountKey", "listAccountKeys", "revokeAccountKey",
            "metrics", "replayPoison");
    private LocalHostFixture host;

    @BeforeEach
    void start() {
        host = LocalHostFixture.start();
    }

    @AfterEach
    void stop() {
        host.close();
    }

    @Test
    void an_issued_key_opens_its_own_accounts_routes_and_is_listed_by_prefix_only() {
        HttpResponse<String> created = host.call("POST", "/api/accounts/" + ACME + "/keys", null);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("Cache-Control")).contains("no-store");
        JsonNode issued = Json.read(created.body());
        String key = issued.path("key").asText();
        String prefix = issued.path("prefix").asText();
        assertThat(key).matches("sqk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}").startsWith("sqk_" + prefix + "_");
        assertThat(issued.path("account").asText()).isEqualTo(ACME);

        String list = host.call("GET", "/api/accounts/" + ACME + "/keys", null).body();
        assertThat(Json.read(list).path("keys")).anySatisfy(k -> assertThat(k.path("prefix").asText()).isEqualTo(prefix));
        assertThat(list).doesNotContain(key).doesNotContain(key.substring(17)).doesNotContain(hash(key));

        String sequence = "/api/accounts/" + ACME + "/sequences/welcome";
        assertThat(bearer(key, "PUT", sequence, sequenceBody(ACME)).statusCode()).isIn(200, 201);
        assertThat(bearer(key, "GET", sequence, null).statusCode()).isEqualTo(200);
        assertThat(bearer(key, "PUT", sequence + "/subscribers/s1", "{}").statusCode()).isIn(200, 201);
        assertThat(bearer(key, "GET", sequence + "/report", null).statusCode()).isEqualTo(200);
        assertThat(bearer(key, "POST", sequence + "/report:link", null).statusCode()).isEqualTo(200);
        assertThat(bearer(LocalHostFixture.FUNCTION_KEY, "GET", sequence, null).statusCode())
                .as("the admin key as a Bearer token").isEqualTo(200);
        assertThat(host.call("GET", sequence, null, Map.of("Authorization", "bearer " + key)).statusCode())
                .as("the scheme in any case").isEqualTo(200);
        JsonNode listed = Json.read(host.call("GET", "/api/accounts/" + ACME + "/keys", null).body()).path("keys");
        assertThat(listed).filteredOn(k -> k.path("prefix").asText().equals(prefix)).singleElement()
                .satisfies(k -> assertThat(k.path("lastUsedAt").asText()).as("recorded on use").isNotEmpty());
    }

    @Test
    void on_another_accounts_routes_a_key_gets_exactly_what_an_unknown_account_gets() {
        String key = issue(ACME);
        String owner = "/api/accounts/" + OWNER;
        assertThat(host.call("PUT", owner + "/sequences/seq", sequenceBody(OWNER)).statusCode()).isIn(200, 201);
        assertThat(host.call("PUT", owner + "/sequences/seq/subscribers/sub", "{}").statusCode()).isIn(200, 201);
        String ownerBefore = host.call("GET", owner + "/sequences/seq/subscribers/sub", null).body();

        int compared = 0;
        for (Operation op : ApiOperations.all()) {
            if (!op.path().contains("{account}") || ADMIN_ONLY.contains(op.id())) {
                continue;
            }
            String body = op.method().equals("GET") || op.method().equals("DELETE") ? null : "{}";
            for (String other : List.of(OWNER, NOBODY, ACME.toUpperCase(), ACME + ".")) {
                HttpResponse<String> toOther = bearer(key, op.method(), path(op, other), body);
                HttpResponse<String> toNobody = bearer(key, op.method(), path(op, NOBODY + "x"), body);
                assertThat(toOther.statusCode()).as(op.id() + " on " + other).isEqualTo(404);
                assertThat(toOther.body().replace(other, "ACCOUNT"))
                        .as(op.id() + ": the same answer as for an account that does not exist")
                        .isEqualTo(toNobody.body().replace(NOBODY + "x", "ACCOUNT"));
                compared++;
            }
        }
        assertThat(compared).isGreaterThanOrEqualTo(4 * 25);
        assertThat(host.call("GET", owner + "/sequences/seq/subscribers/sub", null).body()).as("nothing of the owner's changed")
                .isEqualTo(ownerBefore);
    }

    @Test
    void admin_only_routes_refuse_an_account_key_with_one_403() {
        String key = issue(ACME);
        List<String> bodies = new ArrayList<>();
        for (Operation op : ApiOperations.all()) {
            if (!ADMIN_ONLY.contains(op.id())) {
                continue;
            }
            for (String account : List.of(ACME, OWNER)) {
                String body = op.method().equals("POST") ? "{}" : null;
                HttpResponse<String> answer = bearer(key, op.method(), path(op, account), body);
                assertThat(answer.statusCode()).as(op.id() + " on " + account).isEqualTo(403);
                bodies.add(Json.read(answer.body()).path("detail").asText());
            }
        }
        assertThat(bodies).hasSize(10).containsOnly(bodies.get(0));
        assertThat(Json.read(host.call("GET", "/api/accounts/" + ACME + "/keys", null).body()).path("keys"))
                .as("the account key made no key").hasSize(1);
    }

    @Test
    void a_revoked_key_and_every_malformed_credential_get_the_same_401() {
        String key = issue(ACME);
        String prefix = key.substring(4, 16);
        String path = "/api/accounts/" + ACME + "/sequences";
        assertThat(bearer(key, "GET", path, null).statusCode()).isEqualTo(200);
        assertThat(host.call("DELETE", "/api/accounts/" + OWNER + "/keys/" + prefix, null).statusCode())
                .as("another account cannot revoke it").isEqualTo(404);
        assertThat(bearer(key, "GET", path, null).statusCode()).isEqualTo(200);

        HttpResponse<String> revoked = host.call("DELETE", "/api/accounts/" + ACME + "/keys/" + prefix, null);
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
        assertThat(host.call("DELETE", "/api/accounts/" + ACME + "/keys/" + prefix, null).statusCode()).isEqualTo(404);
        assertThat(host.call("DELETE", "/api/accounts/" + ACME + "/keys/not-a-prefix", null).statusCode()).isEqualTo(400);

        String live = issue(ACME);
        // The live key with its last character changed (to another than its own: taken from the revoked key, it was
        // the live key itself whenever both ended alike, one run in sixteen).
        char last = live.charAt(live.length() - 1);
        List<Map<String, String>> refused = List.of(
                Map.of("Authorization", "Bearer " + key),
                Map.of(),
                Map.of("Authorization", "Bearer"),
                Map.of("Authorization", "Bearer "),
                Map.of("Authorization", live),
                Map.of("Authorization", "Basic " + Base64.getEncoder().encodeToString(("x:" + live).getBytes(StandardCharsets.UTF_8))),
                Map.of("Authorization", "Bearer " + live + " " + live),
                Map.of("Authorization", "Bearer " + live.substring(0, live.length() - 1) + (last == 'A' ? 'B' : 'A')),
                Map.of("Authorization", "Bearer " + live.substring(0, live.length() - 1)),
                Map.of("Authorization", "Bearer sqk_000000000000_" + live.substring(17)),
                Map.of("Authorization", "Bearer " + LocalHostFixture.FUNCTION_KEY + "x"),
                Map.of("x-functions-key", live),
                Map.of("x-functions-key", "wrong", "Authorization", "Bearer " + live));
        List<String> bodies = new ArrayList<>();
        for (Map<String, String> headers : refused) {
            HttpResponse<String> answer = host.call("GET", path, null, headers);
            assertThat(answer.statusCode()).as(headers.toString()).isEqualTo(401);
            assertThat(answer.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            bodies.add(answer.body());
        }
        assertThat(host.call("GET", path + "?code=" + live, null, Map.of()).statusCode()).isEqualTo(401);
        assertThat(bodies).containsOnly(bodies.get(0));
        assertThat(bodies.get(0)).doesNotContain(live).doesNotContain(key);
        assertThat(bearer(live, "GET", path, null).statusCode()).as("the live key still works").isEqualTo(200);
    }

    @Test
    void only_the_keys_hash_is_stored_and_keys_survive_a_restart() {
        String key = issue(ACME);
        String prefix = key.substring(4, 16);
        TableEntity row = Azurite.shared().clients().table(StorageNames.API_KEYS_TABLE).listEntities().stream()
                .filter(e -> e.getPartitionKey().equals(prefix)).findFirst().orElseThrow();
        assertThat(row.getProperties().values()).extracting(String::valueOf)
                .noneSatisfy(value -> assertThat(value).contains(key.substring(17)));
        assertThat(row.getProperty("hash")).isEqualTo(hash(key));
        assertThat(row.getProperty("account")).isEqualTo(ACME);

        host.close();
        host = LocalHostFixture.start();
        assertThat(bearer(key, "GET", "/api/accounts/" + ACME + "/sequences", null).statusCode()).isEqualTo(200);
    }

    @Test
    void without_a_usable_admin_key_nothing_is_admitted_as_admin() {
        String key = issue(ACME);
        String unresolved = "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/admin-key/)";
        for (String setting : List.of("", "short-admin-key", unresolved)) {
            host.close();
            host = LocalHostFixture.start(Map.of("SEQUENCER_ADMIN_KEY", setting), hostJson -> { });
            for (String presented : List.of(LocalHostFixture.FUNCTION_KEY, setting, unresolved, " ")) {
                assertThat(host.call("GET", "/api/accounts/" + ACME + "/keys", null, Map.of("x-functions-key", presented))
                        .statusCode()).as("admin key setting '" + setting + "', presented '" + presented + "'")
                        .isEqualTo(401);
                assertThat(host.call("GET", "/api/metrics", null, Map.of("Authorization", "Bearer " + presented))
                        .statusCode()).isEqualTo(401);
            }
            assertThat(bearer(key, "GET", "/api/accounts/" + ACME + "/sequences", null).statusCode())
                    .as("an account key does not depend on the admin key").isEqualTo(200);
        }
    }

    private String issue(String account) {
        HttpResponse<String> created = host.call("POST", "/api/accounts/" + account + "/keys", "{}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return Json.read(created.body()).path("key").asText();
    }

    private HttpResponse<String> bearer(String key, String method, String path, String body) {
        return host.call(method, path, body, Map.of("Authorization", "Bearer " + key));
    }

    private static String path(Operation op, String account) {
        return op.with(Map.of("account", account, "sequenceId", "seq", "subscriberId", "sub", "broadcastId", "promo",
                "prefix", "0123456789ab", "name", "hook", "stepId", "hi", "importId", "imp-0123", "part", "2",
                "jobId", "job-none"));
    }

    private static String hash(String key) {
        return HexFormat.of().formatHex(Sha256.of(key));
    }

    private static String sequenceBody(String account) {
        return """
                {"name":"Welcome","steps":[{"id":"one","delay":{"amount":1,"unit":"days"},"message":{"text":"hi"}}],
                 "channel":{"type":"webhook","url":"http://127.0.0.1:9/hook","secretSetting":"%s"}}"""
                .formatted(LocalHostFixture.hookSecretSetting(account));
    }
}
