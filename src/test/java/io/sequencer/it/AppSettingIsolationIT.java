package io.sequencer.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.testing.LocalHostFixture;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * From an intruder account, every way to name another account's app setting or a platform setting as a secret
 * (sequence channels, broadcast channels, notifications) is a 400 naming the field, stores nothing, and answers
 * byte for byte the same whether the setting exists or not, so no account learns which settings exist.
 */
class AppSettingIsolationIT {
    private static final String OWNER = "owner-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String OWNER_KEY = LocalHostFixture.setting(OWNER, "SENDGRID_KEY");
    private static final String OWNER_TOKEN = LocalHostFixture.setting(OWNER, "PAGE_TOKEN");
    private static final String VALUE_MARK = "Kq9-owner-value";
    /** Settings the host holds, each with a value that must never show. */
    private static final Map<String, String> PRESENT = Map.of(OWNER_KEY, "SG." + VALUE_MARK, OWNER_TOKEN,
            "EAAG" + VALUE_MARK, "WEBSITE_AUTH_ENCRYPTION_KEY", "web-" + VALUE_MARK, "IDENTITY_HEADER", "id-" + VALUE_MARK,
            "MSI_SECRET", "msi-" + VALUE_MARK, "APPLICATIONINSIGHTS_CONNECTION_STRING", "ai-" + VALUE_MARK);
    /** Another account's names, present and absent, in the case the owner uses and in others. */
    private static final List<String> FOREIGN = List.of(OWNER_KEY, OWNER_TOKEN, OWNER_KEY.toLowerCase(Locale.ROOT),
            LocalHostFixture.setting(OWNER, "NO_SUCH_KEY"), LocalHostFixture.setting(OWNER, "no_such_key"),
            OWNER_KEY.replace("__", "_"), "HOOK_SECRET", "SENDGRID_KEY");
    /** Platform names, present ({@code AzureWebJobsStorage} always is) and absent. */
    private static final List<String> RESERVED = List.of("AzureWebJobsStorage", "azurewebjobsstorage",
            "AZUREWEBJOBSSTORAGE", "AzureWebJobsNoSuchSetting", "WEBSITE_AUTH_ENCRYPTION_KEY", "website_no_such_setting",
            "IDENTITY_HEADER", "IDENTITY_NO_SUCH", "MSI_SECRET", "MSI_NO_SUCH", "APPLICATIONINSIGHTS_CONNECTION_STRING",
            "APPLICATIONINSIGHTS_NO_SUCH", "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_NO_SUCH", "SEQUENCER_FUNCTION_KEY",
            "SEQUENCER_NO_SUCH", "AzureWebJobsStorage_PREVIOUS");
    /** Names that are no setting name at all: path tricks, look-alikes, blanks. */
    private static final List<String> MALFORMED = List.of("..", "../" + OWNER_KEY, "", " ", OWNER_KEY + " ",
            OWNER_KEY.replace('S', '\u0405'), OWNER_KEY.replace('E', '\uFF25'), OWNER_KEY + "\n");

    private static LocalHostFixture host;
    private static final List<String> seen = new ArrayList<>();

    @BeforeAll
    static void start() {
        host = LocalHostFixture.start(PRESENT, hostJson -> { });
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    /** Intruders: unrelated, its id a prefix of the owner's, the owner's in other cases or spellings, extended. */
    private static List<String> intruders() {
        return List.of("intruder-" + UUID.randomUUID().toString().substring(0, 8), OWNER.substring(0, OWNER.length() - 1),
                OWNER.substring(0, 5), OWNER.toUpperCase(Locale.ROOT), OWNER.replace('-', '_'), OWNER + "-x", OWNER + "_");
    }

    /** Each way a definition names a secret setting: the route to PUT, the body, and the field a refusal names. */
    private record Reference(String what, BiFunction<String, String, String> path, BiFunction<String, String, String> body,
                             String field) {}

    private static String json(String text) {
        return Json.write(Json.MAPPER.getNodeFactory().textNode(text));
    }

    private static final List<Reference> REFERENCES = List.of(
            new Reference("webhook sequence", (a, n) -> "/api/accounts/" + a + "/sequences/hook", (a, n) -> """
                    {"name":"n","steps":[{"id":"a","delay":{"amount":1,"unit":"days"},"message":{"text":"x"}}],
                     "channel":{"type":"webhook","url":"http://127.0.0.1:9/hook","secretSetting":%s}}""".formatted(json(n)),
                    "channel.secretSetting"),
            new Reference("messenger sequence", (a, n) -> "/api/accounts/" + a + "/sequences/page", (a, n) -> """
                    {"name":"n","steps":[{"id":"a","delay":{"amount":1,"unit":"days"},"message":{"text":"x"}}],
                     "channel":{"type":"messenger","pageId":"1234567890","pageTokenSetting":%s}}""".formatted(json(n)),
                    "channel.pageTokenSetting"),
            new Reference("sendgrid sequence", (a, n) -> "/api/accounts/" + a + "/sequences/mail", (a, n) -> """
                    {"name":"n","steps":[{"id":"a","delay":{"amount":1,"unit":"days"},"message":{"subject":"s","text":"t"}}],
                     "channel":{"type":"sendgrid","apiKeySetting":%s,"from":"news@example.com"}}""".formatted(json(n)),
                    "channel.apiKeySetting"),
            new Reference("broadcast", (a, n) -> "/api/accounts/" + a + "/broadcasts/promo", (a, n) -> """
                    {"sendAt":"%s","channel":{"type":"webhook","url":"http://127.0.0.1:9/hook","secretSetting":%s},
                     "message":{"text":"x"},"audience":{"everyone":true}}""".formatted(Instant.now().plusSeconds(3600), json(n)),
                    "channel.secretSetting"),
            new Reference("notifications", (a, n) -> "/api/accounts/" + a + "/notifications",
                    (a, n) -> "{\"url\":\"http://127.0.0.1:9/events\",\"secretSetting\":%s}".formatted(json(n)),
                    "secretSetting"));

    private static HttpResponse<String> put(Reference reference, String account, String name) {
        HttpResponse<String> response = host.call("PUT", reference.path().apply(account, name), reference.body().apply(account, name));
        seen.add(response.body());
        return response;
    }

    /** The answers to naming each of {@code names}: one problem per answer, all refusals naming the field. */
    private static Set<String> refusals(Reference reference, String account, List<String> names) {
        Set<String> bodies = new LinkedHashSet<>();
        for (String name : names) {
            HttpResponse<String> response = put(reference, account, name);
            assertThat(response.statusCode()).as("%s %s naming %s: %s", reference.what(), account, name, response.body())
                    .isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(Json.read(response.body()).path("field").asText()).isEqualTo(reference.field());
            bodies.add(response.body());
        }
        return bodies;
    }

    @Test
    void an_intruder_naming_another_account_s_or_a_platform_setting_is_refused_alike_whether_it_exists_or_not() {
        for (String intruder : intruders()) {
            for (Reference reference : REFERENCES) {
                assertThat(refusals(reference, intruder, FOREIGN)).as("%s %s: another account's", reference.what(), intruder)
                        .hasSize(1).allSatisfy(body -> assertThat(Json.read(body).path("detail").asText())
                                .contains("must name an app setting that starts with SEQ_").doesNotContain(OWNER_KEY));
                assertThat(refusals(reference, intruder, RESERVED)).as("%s %s: reserved", reference.what(), intruder)
                        .hasSize(1);
                refusals(reference, intruder, MALFORMED);
                assertThat(host.call("GET", reference.path().apply(intruder, ""), null).statusCode())
                        .as("%s of %s stored", reference.what(), intruder).isEqualTo(404);
            }
        }
        assertThat(String.join("\n", seen)).doesNotContain(VALUE_MARK);
    }

    @Test
    void the_owner_names_its_own_settings_in_any_case_and_is_told_only_about_its_own_missing_ones() {
        Map<Reference, String> own = new LinkedHashMap<>();
        own.put(REFERENCES.get(1), OWNER_TOKEN);
        own.put(REFERENCES.get(2), OWNER_KEY);
        own.forEach((reference, name) -> assertThat(put(reference, OWNER, name).statusCode()).as(reference.what()).isEqualTo(201));
        JsonNode missing = Json.read(put(REFERENCES.get(2), OWNER, LocalHostFixture.setting(OWNER, "NO_SUCH_KEY")).body());
        assertThat(missing.path("detail").asText()).contains("is not defined");
        assertThat(String.join("\n", seen)).doesNotContain(VALUE_MARK);
    }
}
