package io.sequencer.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.adapters.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * App settings for a local run: the {@code Values} of {@code local.settings.json} (or, when there is none,
 * {@code local.settings.json.example}), with environment variables taking precedence, as Core Tools does.
 */
public final class LocalSettings {
    private LocalSettings() {}

    public static Map<String, String> load(Path projectDir) {
        Map<String, String> settings = new HashMap<>();
        Path file = projectDir.resolve("local.settings.json");
        if (!Files.isRegularFile(file)) {
            file = projectDir.resolve("local.settings.json.example");
        }
        if (Files.isRegularFile(file)) {
            try {
                JsonNode values = Json.MAPPER.readTree(Files.readString(file)).path("Values");
                values.fields().forEachRemaining(e -> settings.put(e.getKey(), e.getValue().asText()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        settings.putAll(System.getenv());
        // The key that wraps the accounts' data keys: created there on first use, beside the project, never in
        // Azurite (see docs/DEPLOY.md on rotating it).
        settings.putIfAbsent(LOCAL_KEY_FILE_SETTING,
                projectDir.resolve(".sequencer").resolve("keys").resolve("master.key").toAbsolutePath().toString());
        return settings;
    }

    /** The same name as the app's setting for its local key file. */
    static final String LOCAL_KEY_FILE_SETTING = "SEQUENCER_LOCAL_KEY_FILE";
}
