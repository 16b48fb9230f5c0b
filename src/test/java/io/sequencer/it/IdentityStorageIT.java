package io.sequencer.it;

import static io.sequencer.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.data.tables.models.TableEntity;
import io.sequencer.adapters.azure.StorageClients;
import io.sequencer.adapters.azure.StorageHttp;
import io.sequencer.adapters.azure.TableKeys;
import io.sequencer.adapters.json.Json;
import io.sequencer.domain.account.AppSettingPolicy;
import io.sequencer.functions.Settings;
import io.sequencer.functions.StorageNames;
import io.sequencer.local.EmulatorCertificate;
import io.sequencer.local.LocalHost;
import io.sequencer.local.LocalIdentityEndpoint;
import io.sequencer.local.WebhookSink;
import io.sequencer.testing.Azurite;
import io.sequencer.testing.LocalHostFixture;
import io.sequencer.testing.LocalHostProcess;
import io.sequencer.testing.TempFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The deployed storage mode, end to end: the app on the local host with only the identity-based settings the Bicep
 * files deploy, against an Azurite that takes bearer tokens over HTTPS ({@code --oauth basic}, a certificate made
 * for this test and trusted by the app's storage client alone), tokens from the local managed-identity endpoint.
 * The account the app uses has a key that only Azurite and this test hold, so every request the app made to it
 * carried a token; the host's environment holds no connection string at all.
 */
class IdentityStorageIT {
    private static final String ACCOUNT = "seqidentity";
    private static final String CLIENT_ID = "6f1c1d9e-3a52-4c1b-9a51-5d8f0c2e7b41";
    private static final String TENANT = "identity-e2e";

    private static Path work;
    private static EmulatorCertificate certificate;
    private static String accountKey;
    private static Azurite azurite;
    private static WebhookSink sink;

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("identity-it");
        certificate = EmulatorCertificate.ensure(work.resolve("tls"));
        byte[] key = new byte[64];
        new SecureRandom().nextBytes(key);
        accountKey = Base64.getEncoder().encodeToString(key);
        azurite = Azurite.startWithOAuth(new Azurite.OAuth(certificate, ACCOUNT, accountKey));
        sink = new WebhookSink(LocalHostFixture.HOOK_SECRET);
    }

    @AfterAll
    static void stop() {
        if (sink != null) {
            sink.close();
        }
        if (azurite != null) {
            azurite.close();
        }
        TempFiles.delete(work);
    }

    /** The Bicep's storage settings (infra/app/function-app.bicep), pointed at the OAuth Azurite, and nothing else of storage. */
    private static Map<String, String> environment(String clientId) {
        Map<String, String> env = new HashMap<>();
        env.put("AzureWebJobsStorage__accountName", ACCOUNT);
        env.put("AzureWebJobsStorage__credential", "managedidentity");
        env.put("AzureWebJobsStorage__clientId", clientId);
        env.put("AzureWebJobsStorage__blobServiceUri", azurite.blobServiceUri());
        env.put("AzureWebJobsStorage__queueServiceUri", azurite.queueServiceUri());
        env.put("AzureWebJobsStorage__tableServiceUri", azurite.tableServiceUri());
        env.put(StorageHttp.TRUSTED_CERTIFICATE, certificate.pem().toString());
        // The platform's side: the token endpoint and its secret, and the one identity it holds.
        env.put(LocalIdentityEndpoint.ENDPOINT_VARIABLE, "http://127.0.0.1:" + Azurite.freePort() + "/msi/token");
        env.put(LocalIdentityEndpoint.SECRET_VARIABLE, UUID.randomUUID().toString());
        env.put(LocalIdentityEndpoint.CLIENT_ID_SETTING, CLIENT_ID);
        env.put(LocalHost.FUNCTION_KEY_SETTING, LocalHostFixture.FUNCTION_KEY);
        env.put(Settings.ALLOW_LOOPBACK, "true");
        env.put("SEQUENCER_LOCAL_KEY_FILE", work.resolve("keys-" + UUID.randomUUID()).resolve("master.key").toString());
        env.put(AppSettingPolicy.TEMPLATE_SETTING, LocalHostFixture.SETTING_TEMPLATE);
        env.put("SEQUENCER_REPORT_LINK_KEY", LocalHostFixture.REPORT_LINK_KEY);
        env.put(LocalHostFixture.hookSecretSetting(TENANT), LocalHostFixture.HOOK_SECRET);
        return env;
    }

    @Test
    void the_whole_path_runs_on_managed_identity_tokens_with_no_connection_string() {
        try (LocalHostProcess host = LocalHostProcess.launch(environment(CLIENT_ID)).awaitReady()) {
            assertThat(host.environment()).doesNotContainKeys("AzureWebJobsStorage", Settings.PARKING_STORAGE);
            assertThat(host.output()).contains("queue triggers on AzureWebJobsStorage: managed identity " + CLIENT_ID)
                    .doesNotContain("a connection string");

            String path = "/api/accounts/" + TENANT + "/sequences/welcome";
            String sequence = """
                    {"name":"Two steps","steps":[
                      {"id":"one","delay":{"amount":0,"unit":"seconds"},"message":{"text":"first"}},
                      {"id":"two","delay":{"amount":2,"unit":"seconds"},"message":{"text":"second"}}],
                     "channel":{"type":"webhook","url":"%s","secretSetting":"%s"}}""".formatted(sink.url(),
                    LocalHostFixture.hookSecretSetting(TENANT));
            assertThat(host.call("PUT", path, sequence).statusCode()).isEqualTo(201);
            assertThat(host.call("PUT", path + "/subscribers/ada", null).statusCode()).isEqualTo(201);

            // HTTP -> tables -> tick queue -> queue trigger -> webhook -> next step through the queue again.
            await(() -> received().size() >= 2, Duration.ofSeconds(60));
            assertThat(received()).extracting(WebhookSink.Received::stepId).containsExactly("one", "two");
            assertThat(received()).allSatisfy(r -> assertThat(r.signatureValid()).isTrue());
            await(() -> Json.read(host.call("GET", path + "/subscribers/ada", null).body())
                    .path("status").asText().equals("completed"), Duration.ofSeconds(10));

            assertThat(host.output()).contains("issued a token for https://storage.azure.com to the local identity " + CLIENT_ID);
            // What the app wrote is in the account that only tokens open: read it here with the key the app never had.
            StorageClients owner = StorageClients.fromSettings(Map.of(
                    StorageClients.CONNECTION, "DefaultEndpointsProtocol=https;AccountName=" + ACCOUNT + ";AccountKey="
                            + accountKey + ";QueueEndpoint=" + azurite.queueServiceUri() + ";TableEndpoint="
                            + azurite.tableServiceUri() + ";",
                    StorageHttp.TRUSTED_CERTIFICATE, certificate.pem().toString())::get);
            assertThat(owner.table(StorageNames.ENROLLMENTS_TABLE).listEntities().stream()
                    .map(TableEntity::getRowKey).toList()).contains(TableKeys.of("ada"));
        }
    }

    @Test
    void a_client_id_the_platform_does_not_hold_stops_start_up_with_the_endpoint_reason() {
        String wrong = "0bad0bad-0000-4000-8000-000000000000";
        try (LocalHostProcess host = LocalHostProcess.launch(environment(wrong))) {
            assertThat(host.awaitExit()).isNotZero();
            assertThat(host.output())
                    .contains("cannot authenticate to storage as managed identity " + wrong)
                    .contains("No User Assigned or Delegated Managed Identity found")
                    .doesNotContain("ready on");
        }
    }

    private static List<WebhookSink.Received> received() {
        return sink.received().stream().filter(r -> r.payload().path("account").asText().equals(TENANT)).toList();
    }
}
