package io.sequencer.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sequencer.adapters.azure.StorageClients;
import io.sequencer.domain.account.AppSettingPolicy;
import io.sequencer.functions.FunctionApp;
import io.sequencer.functions.Settings;
import io.sequencer.domain.timer.TimerShard;
import io.sequencer.functions.StorageNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What can be checked about the deployment files without the Bicep CLI or a subscription: they parse, they fit
 * together (parameters, module paths, module parameters), and they agree with the code (the storage settings
 * StorageClients reads, the queue and table names) and with the security rules (no keys, built-in roles only,
 * data-plane roles for the app's identity). The Bicep is read as text, line by line; it is not compiled.
 */
class InfraFilesTest {
    private static final Path ROOT = Path.of(System.getProperty("sequencer.projectDir", "."));
    private static final Path INFRA = ROOT.resolve("infra");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** The built-in role definition ids, as Azure publishes them (they are the same in every tenant). */
    private static final Map<String, String> BUILT_IN_ROLES = Map.of(
            "Storage Queue Data Contributor", "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
            "Storage Table Data Contributor", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
            "Storage Blob Data Owner", "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
            "Key Vault Secrets User", "4633458b-17de-408a-b874-0445c86b69e6",
            "Key Vault Secrets Officer", "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
            "Monitoring Metrics Publisher", "3913510d-42f4-4e42-8a64-420c390055eb",
            "Key Vault Crypto User", "12338af0-0e69-4776-bea7-57ae8d297424");

    private static final Pattern PARAM = Pattern.compile("^param\\s+(\\w+)\\s+\\w+(\\s*=.*)?$");
    private static final Pattern MODULE = Pattern.compile("^module\\s+(\\w+)\\s+'([^']+)'\\s*=.*$");
    private static final Pattern GUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    @Test
    void no_bicep_file_lets_a_deployment_reach_loopback() throws IOException {
        try (var files = Files.walk(INFRA)) {
            List<Path> bicep = files.filter(f -> f.toString().endsWith(".bicep")).toList();
            assertThat(bicep).isNotEmpty();
            for (Path file : bicep) {
                assertThat(read(file)).as(file.toString()).doesNotContain(Settings.ALLOW_LOOPBACK);
            }
        }
    }

    @Test
    void azure_yaml_parses_and_deploys_the_repository_as_one_java_function_app() throws IOException {
        JsonNode azure = YAML.readTree(read(ROOT.resolve("azure.yaml")));

        assertThat(azure.path("name").asText()).isEqualTo("sequencer");
        assertThat(azure.path("infra").path("provider").asText()).isEqualTo("bicep");
        Path module = ROOT.resolve(azure.path("infra").path("path").asText())
                .resolve(azure.path("infra").path("module").asText() + ".bicep");
        assertThat(module).as("the infra module azure.yaml names").isRegularFile();
        JsonNode services = azure.path("services");
        assertThat(services.size()).isEqualTo(1);
        String serviceName = services.fieldNames().next();
        JsonNode service = services.path(serviceName);
        assertThat(service.path("language").asText()).isEqualTo("java");
        assertThat(service.path("host").asText()).isEqualTo("function");
        assertThat(ROOT.resolve(service.path("project").asText()).resolve("pom.xml")).isRegularFile();
        assertThat(read(INFRA.resolve("app/function-app.bicep")))
                .as("azd finds the app by its azd-service-name tag")
                .contains("param serviceName string = '" + serviceName + "'");
    }

    @Test
    void main_parameters_json_supplies_every_parameter_without_a_default_and_no_unknown_one() throws IOException {
        Map<String, Boolean> declared = params(INFRA.resolve("main.bicep"));
        JsonNode file = JSON.readTree(read(INFRA.resolve("main.parameters.json")));
        JsonNode supplied = file.path("parameters");

        assertThat(declared).as("params declared in main.bicep").containsKeys("environmentName", "location");
        List<String> required = declared.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).toList();
        assertThat(required).isNotEmpty();
        for (String name : required) {
            assertThat(supplied.has(name)).as("main.parameters.json supplies " + name).isTrue();
            assertThat(supplied.path(name).has("value")).as(name + " has a value").isTrue();
        }
        supplied.fieldNames().forEachRemaining(name ->
                assertThat(declared).as("main.bicep declares " + name + " (ARM rejects unknown parameters)").containsKey(name));
        assertThat(supplied.path("environmentName").path("value").asText()).isEqualTo("${AZURE_ENV_NAME}");
        assertThat(supplied.path("location").path("value").asText()).isEqualTo("${AZURE_LOCATION}");
    }

    @Test
    void every_module_path_exists_and_every_module_gets_exactly_parameters_it_declares() {
        int modules = 0;
        for (Path file : bicepFiles()) {
            List<String> lines = lines(file);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = MODULE.matcher(lines.get(i));
                if (!m.matches()) {
                    continue;
                }
                modules++;
                String where = ROOT.relativize(file) + ":" + (i + 1) + " module " + m.group(1);
                assertThat(m.group(2)).as(where + " is a local file").startsWith("./").endsWith(".bicep");
                Path target = file.getParent().resolve(m.group(2)).normalize();
                assertThat(target).as(where).isRegularFile();

                Map<String, Boolean> declared = params(target);
                Set<String> passed = moduleParams(lines, i);
                assertThat(declared.keySet()).as(where + " passes only parameters " + target.getFileName() + " declares")
                        .containsAll(passed);
                declared.forEach((name, hasDefault) -> {
                    if (!hasDefault) {
                        assertThat(passed).as(where + " passes required parameter " + name).contains(name);
                    }
                });
            }
        }
        assertThat(modules).as("modules found (the pattern still matches the files)").isGreaterThanOrEqualTo(6);
    }

    @Test
    void the_send_budgets_share_out_over_the_scale_out_cap_the_app_is_given() {
        Map<String, String> settings = objectLiteral(INFRA.resolve("app/function-app.bicep"), "var scaleSettings = {");
        assertThat(settings).containsExactly(Map.entry(Settings.MAX_INSTANCES, "string(maximumInstanceCount)"),
                Map.entry(Settings.TICK_SHARDS, "string(tickShards)"));
        assertThat(read(INFRA.resolve("app/function-app.bicep"))).contains("scaleSettings, telemetrySettings)")
                .contains("maximumInstanceCount: maximumInstanceCount");
    }

    @Test
    void app_settings_are_the_identity_based_storage_settings_storage_clients_reads() {
        Map<String, String> settings = objectLiteral(INFRA.resolve("app/function-app.bicep"), "var storageSettings = {");

        assertThat(settings).containsOnlyKeys(
                "AzureWebJobsStorage__accountName", "AzureWebJobsStorage__credential", "AzureWebJobsStorage__clientId",
                "AzureWebJobsStorage__blobServiceUri", "AzureWebJobsStorage__queueServiceUri",
                "AzureWebJobsStorage__tableServiceUri");
        assertThat(settings.get("AzureWebJobsStorage__credential")).isEqualTo("'managedidentity'");

        // Feed the same names to the code that reads them: the identity must come out as a managed identity with
        // the client id, pointed at the endpoints (a misspelt name would silently fall back to a default).
        Map<String, String> asDeployed = new HashMap<>();
        settings.forEach((name, expression) -> asDeployed.put(name, switch (name) {
            case "AzureWebJobsStorage__credential" -> "managedidentity";
            case "AzureWebJobsStorage__clientId" -> "11111111-2222-3333-4444-555555555555";
            case "AzureWebJobsStorage__accountName" -> "stseqexample";
            default -> "https://stseqexample." + name.replaceAll(".*__(\\w+)ServiceUri", "$1") + ".core.windows.net/";
        }));
        var target = StorageClients.StorageTarget.fromSettings(asDeployed::get);
        assertThat(target).isInstanceOfSatisfying(StorageClients.StorageTarget.Identity.class, id -> {
            assertThat(id.accountName()).isEqualTo("stseqexample");
            assertThat(id.description()).isEqualTo("managed identity 11111111-2222-3333-4444-555555555555");
            assertThat(id.queueServiceUri()).isEqualTo("https://stseqexample.queue.core.windows.net/");
            assertThat(id.tableServiceUri()).isEqualTo("https://stseqexample.table.core.windows.net/");
        });
    }

    @Test
    void no_deployment_file_holds_an_account_key_or_a_connection_string_with_one() {
        List<String> findings = new ArrayList<>();
        for (Path file : infraFiles()) {
            List<String> lines = lines(file);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                String lower = line.toLowerCase(Locale.ROOT);
                boolean comment = line.trim().startsWith("//");
                if (lower.contains("accountkey") || lower.contains("listkeys(") || lower.contains("sharedaccesskey")
                        || (!comment && lower.matches(".*\\bazurewebjobsstorage\\s*:.*"))
                        || (!comment && lower.contains("website_contentazurefileconnectionstring"))) {
                    findings.add(ROOT.relativize(file) + ":" + (i + 1) + ": " + line.trim());
                }
            }
        }
        assertThat(findings).as("keys or key-based connection settings").isEmpty();
        assertThat(read(INFRA.resolve("core/storage/storage-account.bicep"))).contains("allowSharedKeyAccess: false");
        assertThat(read(INFRA.resolve("core/monitor/monitoring.bicep"))).contains("DisableLocalAuth: true");
    }

    @Test
    void role_ids_are_the_built_in_roles_they_are_named_for_and_the_app_gets_data_plane_roles_only() {
        Map<String, String> nameById = new HashMap<>();
        BUILT_IN_ROLES.forEach((name, id) -> nameById.put(id, name));
        int ids = 0;
        for (Path file : bicepFiles()) {
            for (String line : lines(file)) {
                Matcher m = GUID.matcher(line);
                while (m.find()) {
                    ids++;
                    String id = m.group().toLowerCase(Locale.ROOT);
                    assertThat(nameById).as("a known built-in role id: " + line.trim()).containsKey(id);
                    assertThat(line).as("the line names the role its id stands for").contains("// " + nameById.get(id));
                }
            }
        }
        assertThat(ids).isEqualTo(BUILT_IN_ROLES.size());

        Map<String, Set<String>> rolesByPrincipal = new TreeMap<>();
        String rbac = read(INFRA.resolve("app/rbac.bicep"));
        for (String block : rbac.split("\nresource ")) {
            if (!block.contains("'Microsoft.Authorization/roleAssignments@")) {
                continue;
            }
            Matcher role = Pattern.compile("roleDefinitions', roles\\.(\\w+)\\)").matcher(block);
            Matcher principal = Pattern.compile("\\n\\s+principalId: (\\w+)\\n").matcher(block);
            assertThat(role.find()).as("role of " + block.lines().findFirst().orElse("")).isTrue();
            assertThat(principal.find()).as("principal of " + block.lines().findFirst().orElse("")).isTrue();
            rolesByPrincipal.computeIfAbsent(principal.group(1), k -> new TreeSet<>()).add(role.group(1));
        }
        assertThat(rolesByPrincipal).containsOnlyKeys("appPrincipalId", "deployerPrincipalId");
        assertThat(rolesByPrincipal.get("appPrincipalId")).containsExactlyInAnyOrder(
                "storageQueueDataContributor", "storageTableDataContributor", "storageBlobDataOwner",
                "keyVaultSecretsUser", "monitoringMetricsPublisher", "keyVaultCryptoUser");
        assertThat(rolesByPrincipal.get("deployerPrincipalId")).containsExactly("keyVaultSecretsOfficer");
        assertThat(rbac).as("role keys map to the ids named for them")
                .contains("storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'")
                .contains("storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'")
                .contains("storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'")
                .contains("keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'")
                .contains("keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'")
                .contains("monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'")
                .contains("keyVaultCryptoUser: '12338af0-0e69-4776-bea7-57ae8d297424'");
    }

    @Test
    void channel_secrets_are_key_vault_references_under_names_a_sequence_may_use() throws IOException {
        assertThat(read(INFRA.resolve("core/security/key-vault.bicep"))).contains("enableRbacAuthorization: true");
        assertThat(read(INFRA.resolve("app/function-app.bicep")))
                .contains("'@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/${entry.value}/)'")
                .contains("keyVaultReferenceIdentity: identityId");
        JsonNode secrets = JSON.readTree(read(INFRA.resolve("main.parameters.json")))
                .path("parameters").path("channelSecretSettings").path("value");
        assertThat(secrets.size()).isPositive();
        secrets.fields().forEachRemaining(e -> {
            assertThat(e.getKey()).as("a secretSetting name SequenceJson accepts").matches("[A-Za-z0-9_]{1,128}");
            assertThat(DEPLOYED_SETTING_POLICY.problemWith("acme", e.getKey())).as("a name account acme may use").isEmpty();
            assertThat(e.getValue().asText()).as("a Key Vault secret name").matches("[A-Za-z0-9-]{1,127}");
        });
    }

    /** The template the Bicep files set, as the app reads it. */
    private static final AppSettingPolicy DEPLOYED_SETTING_POLICY = AppSettingPolicy.of("SEQ_{ACCOUNT}__");

    @Test
    void accounts_may_name_only_settings_under_their_own_prefix_once_deployed() {
        assertThat(read(INFRA.resolve("main.bicep"))).contains("param accountSettingPrefix string = 'SEQ_{ACCOUNT}__'")
                .contains("accountSettingPrefix: accountSettingPrefix");
        assertThat(read(INFRA.resolve("app/function-app.bicep")))
                .contains(AppSettingPolicy.TEMPLATE_SETTING + ": accountSettingPrefix")
                .containsPattern("union\\(extraAppSettings, secretSettings, [^)]*policySettings");
        assertThat(DEPLOYED_SETTING_POLICY.problemWith("acme", "AzureWebJobsStorage")).isPresent();
    }

    @Test
    void account_secrets_are_wrapped_by_a_vault_key_the_app_may_only_wrap_and_unwrap_with() {
        String vault = read(INFRA.resolve("core/security/key-vault.bicep"));
        assertThat(vault).contains("'Microsoft.KeyVault/vaults/keys@").contains("kty: 'RSA'").contains("'wrapKey'")
                .contains("'unwrapKey'").contains("exportable: false")
                .contains("output dataKeyWrapKeyUri string = dataKeyWrapKey.properties.keyUri");
        String rbac = read(INFRA.resolve("app/rbac.bicep"));
        String cryptoUser = rbac.substring(rbac.indexOf("resource cryptoUser"));
        assertThat(cryptoUser.substring(0, cryptoUser.indexOf("\n}"))).contains("scope: dataKeyWrapKey")
                .contains("roles.keyVaultCryptoUser").contains("principalId: appPrincipalId");
        Map<String, String> settings = objectLiteral(INFRA.resolve("app/function-app.bicep"), "var secretKeySettings = {");
        assertThat(settings).containsEntry("SEQUENCER_KEY_VAULT_KEY_ID", "dataKeyWrapKeyUri")
                .containsEntry("SEQUENCER_KEY_VAULT_CLIENT_ID", "identityClientId");
        assertThat(read(INFRA.resolve("app/function-app.bicep"))).containsPattern("union\\(extraAppSettings, secretSettings, secretKeySettings, [^)]*storageSettings");
        assertThat(read(INFRA.resolve("main.bicep"))).contains("dataKeyWrapKeyUri: keyVault.outputs.dataKeyWrapKeyUri")
                .doesNotContain("SEQUENCER_LOCAL_KEY_FILE");
    }

    @Test
    void storage_objects_and_outputs_match_the_app() {
        String main = read(INFRA.resolve("main.bicep"));
        assertThat(main).contains("var tickQueue = '" + StorageNames.TICK_QUEUE + "'");
        for (int shard = 1; shard < TimerShard.MAX; shard++) {
            String queue = StorageNames.tickQueue(shard).replace(StorageNames.TICK_QUEUE, "${tickQueue}");
            assertThat(main).as("shard " + shard + "'s queues").contains("'" + queue + "'\n", "'" + queue + "-poison'\n");
        }
        assertThat(main)
                .contains("'" + StorageNames.SEQUENCES_TABLE + "'")
                .contains("'" + StorageNames.ENROLLMENTS_TABLE + "'")
                .contains("'" + StorageNames.SUBSCRIBERS_TABLE + "'")
                .contains("'" + StorageNames.EVENTS_TABLE + "'")
                .contains("'" + StorageNames.BROADCASTS_TABLE + "'")
                .contains("'" + StorageNames.IDEMPOTENCY_TABLE + "'")
                .contains("'" + StorageNames.SECRETS_TABLE + "'")
                .contains("'" + StorageNames.API_KEYS_TABLE + "'")
                .contains("var broadcastPageQueue = '" + StorageNames.BROADCAST_PAGE_QUEUE + "'")
                .contains("var broadcastSendQueue = '" + StorageNames.BROADCAST_SEND_QUEUE + "'")
                .contains("'" + StorageNames.IMPORTS_TABLE + "'")
                .contains("var importQueue = '" + StorageNames.IMPORT_QUEUE + "'")
                .contains("var jobPageQueue = '" + StorageNames.JOB_PAGE_QUEUE + "'")
                .contains("'" + StorageNames.JOBS_TABLE + "'");
        Set<String> outputs = new LinkedHashSet<>();
        for (String line : lines(INFRA.resolve("main.bicep"))) {
            Matcher m = Pattern.compile("^output\\s+(\\w+)\\s+").matcher(line);
            if (m.find()) {
                outputs.add(m.group(1));
            }
        }
        assertThat(outputs).contains("AZURE_FUNCTION_APP_NAME", "AZURE_RESOURCE_GROUP", "AZURE_STORAGE_ACCOUNT_NAME",
                "AZURE_KEY_VAULT_NAME");
    }

    /** Parameter name -> whether it has a default, for the top-level {@code param} lines of a Bicep file. */
    private static Map<String, Boolean> params(Path bicep) {
        Map<String, Boolean> params = new LinkedHashMap<>();
        for (String line : lines(bicep)) {
            Matcher m = PARAM.matcher(line);
            if (m.matches()) {
                params.put(m.group(1), m.group(2) != null);
            }
        }
        return params;
    }

    /** The keys directly inside the {@code params: { ... }} block of the module declared at {@code start}. */
    private static Set<String> moduleParams(List<String> lines, int start) {
        Set<String> keys = new LinkedHashSet<>();
        int depth = 0;
        boolean inParams = false;
        int paramsDepth = -1;
        for (int i = start; i < lines.size(); i++) {
            String line = lines.get(i);
            if (inParams && depth == paramsDepth + 1) {
                Matcher key = Pattern.compile("^\\s*(\\w+):").matcher(line);
                if (key.find()) {
                    keys.add(key.group(1));
                }
            }
            if (!inParams && line.trim().equals("params: {")) {
                inParams = true;
                paramsDepth = depth;
            }
            depth += count(line, '{') + count(line, '[') - count(line, '}') - count(line, ']');
            if (inParams && depth <= paramsDepth) {
                return keys;
            }
            if (i > start && depth == 0) {
                break;
            }
        }
        return keys;
    }

    /** name -> expression of each line of a flat object literal opened by {@code opening} (one key per line). */
    private static Map<String, String> objectLiteral(Path bicep, String opening) {
        List<String> lines = lines(bicep);
        int start = lines.indexOf(opening);
        assertThat(start).as(opening + " in " + bicep.getFileName()).isNotNegative();
        Map<String, String> entries = new LinkedHashMap<>();
        for (int i = start + 1; !lines.get(i).equals("}"); i++) {
            Matcher m = Pattern.compile("^\\s+(\\w+):\\s*(.+)$").matcher(lines.get(i));
            assertThat(m.matches()).as("one key per line: " + lines.get(i)).isTrue();
            entries.put(m.group(1), m.group(2).trim());
        }
        return entries;
    }

    private static int count(String line, char c) {
        return (int) line.chars().filter(ch -> ch == c).count();
    }

    private static List<Path> bicepFiles() {
        return infraFiles().stream().filter(p -> p.toString().endsWith(".bicep")).toList();
    }

    private static List<Path> infraFiles() {
        try (Stream<Path> files = Files.walk(INFRA)) {
            List<Path> list = files.filter(Files::isRegularFile).sorted().toList();
            assertThat(list).isNotEmpty();
            return list;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> lines(Path file) {
        return read(file).lines().toList();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
