package io.sequencer.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.domain.account.AppSettingPolicy;
import io.sequencer.functions.Settings;
import io.sequencer.local.LocalHost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The staged function app (the folder {@code mvn package} writes) served by the local host against the test
 * Azurite, with a small HTTP client that sends the function key.
 */
public final class LocalHostFixture implements AutoCloseable {
    /** The admin key (LocalHost.FUNCTION_KEY_SETTING), sent as x-functions-key; at least 32 characters. */
    public static final String FUNCTION_KEY = "it-admin-key-0123456789abcdef-0123";
    /** The app-setting template of the test host: account {@code acme}'s settings are {@code SEQ_ACME__<NAME>}. */
    public static final String SETTING_TEMPLATE = "SEQ_{ACCOUNT}__";
    public static final String HOOK_SECRET = "it-hook-secret-value";
    private static final AppSettingPolicy SETTING_POLICY = AppSettingPolicy.of(SETTING_TEMPLATE);
    private static final String HOOK_SECRET_NAME = "HOOK_SECRET";
    /** Signs report links (SEQUENCER_REPORT_LINK_KEY); at least 32 characters. */
    public static final String REPORT_LINK_KEY = "it-report-link-key-0123456789abcdef";

    private final LocalHost host;
    /** The copy of the staged app's definitions and the folder of the key file: this host's alone, gone on stop. */
    private final List<Path> folders;
    private final HttpClient http = HttpClient.newHttpClient();
    private boolean stopped;

    private LocalHostFixture(LocalHost host, List<Path> folders) {
        this.host = host;
        this.folders = folders;
    }

    public static Path stagedApp() {
        Path staged = Path.of(System.getProperty("sequencer.stagingDir", "target/azure-functions/sequencer"));
        if (!Files.isRegularFile(staged.resolve("host.json"))) {
            throw new IllegalStateException(staged + " has no staged app: integration tests run after mvn package");
        }
        return staged;
    }

    public static LocalHostFixture start() {
        return start(hostJson -> { });
    }

    /** Serves a copy of the staged app whose host.json was changed by {@code editHostJson}. */
    public static LocalHostFixture start(Consumer<ObjectNode> editHostJson) {
        return start(Map.of(), editHostJson);
    }

    /** Serves a copy of the staged app with extra app settings and a changed host.json. */
    public static LocalHostFixture start(Map<String, String> extraSettings, Consumer<ObjectNode> editHostJson) {
        try {
            Path app = copyDefinitions(stagedApp(), editHostJson);
            Path keys = Files.createTempDirectory("sequencer-keys");
            Map<String, String> settings = new HashMap<>();
            settings.put("AzureWebJobsStorage", Azurite.shared().connectionString());
            settings.put(LocalHost.FUNCTION_KEY_SETTING, FUNCTION_KEY);
            // Every test receiver listens on 127.0.0.1; a test that checks the guard itself sets it to false.
            settings.put(Settings.ALLOW_LOOPBACK, "true");
            // The key wrapping account secrets' data keys: one per host started, never in the working tree.
            settings.put("SEQUENCER_LOCAL_KEY_FILE", keys.resolve("master.key").toString());
            settings.put(AppSettingPolicy.TEMPLATE_SETTING, SETTING_TEMPLATE);
            settings.put("SEQUENCER_REPORT_LINK_KEY", REPORT_LINK_KEY);
            settings.putAll(extraSettings);
            try {
                return new LocalHostFixture(LocalHost.start(app, settings, LocalHostFixture::hookSecretOfAnyAccount, 0),
                        List.of(app, keys));
            } catch (RuntimeException refused) {
                TempFiles.delete(app);
                TempFiles.delete(keys);
                throw refused;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The setting {@code account} names to sign its webhooks with {@link #HOOK_SECRET}: its own, under the test
     * host's template, since no account may name another's.
     */
    public static String hookSecretSetting(String account) {
        return setting(account, HOOK_SECRET_NAME);
    }

    /** The app setting {@code account} names for {@code name}: {@code SEQ_<ACCOUNT>__<name>}. */
    public static String setting(String account, String name) {
        return SETTING_POLICY.prefixFor(account).orElseThrow() + name;
    }

    /** As if the admin had set a hook secret for every account the tests make up: {@code SEQ_<ACCOUNT>__HOOK_SECRET}. */
    private static String hookSecretOfAnyAccount(String name) {
        return name.startsWith("SEQ_") && name.endsWith("__" + HOOK_SECRET_NAME) ? HOOK_SECRET : null;
    }

    /** host.json and every function.json: all the host reads; the code itself comes from the class path. */
    private static Path copyDefinitions(Path staged, Consumer<ObjectNode> editHostJson) throws IOException {
        Path copy = Files.createTempDirectory("staged-app");
        ObjectNode hostJson = (ObjectNode) Json.read(Files.readString(staged.resolve("host.json")));
        editHostJson.accept(hostJson);
        Files.writeString(copy.resolve("host.json"), Json.write(hostJson));
        try (Stream<Path> dirs = Files.list(staged)) {
            for (Path dir : dirs.toList()) {
                Path functionJson = dir.resolve("function.json");
                if (Files.isRegularFile(functionJson)) {
                    Path target = copy.resolve(dir.getFileName());
                    Files.createDirectories(target);
                    Files.copy(functionJson, target.resolve("function.json"));
                }
            }
        }
        return copy;
    }

    public String baseUrl() {
        return host.baseUrl();
    }

    public HttpResponse<String> call(String method, String path, String body) {
        return call(method, path, body, Map.of("x-functions-key", FUNCTION_KEY));
    }

    public HttpResponse<String> call(String method, String path, String body, Map<String, String> headers) {
        return send(http, method, host.baseUrl() + path, body, headers);
    }

    /**
     * Sends {@code method url} with {@code body} (none when null) and {@code headers}, for every fixture that runs
     * the app (in this JVM, as a process, or through ./run); an I/O failure is unchecked.
     */
    public static HttpResponse<String> send(HttpClient http, String method, String url, String body,
                                            Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the host as a shutdown does: running invocations get {@code grace} to finish. */
    public synchronized void stop(Duration grace) {
        if (!stopped) {
            stopped = true;
            host.stop(grace);
            folders.forEach(TempFiles::delete);
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }
}
