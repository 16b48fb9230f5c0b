package io.sequencer.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Every HTTP operation openapi.yaml describes, so tests that must cover every endpoint cannot miss a new one. */
public final class ApiOperations {
    private ApiOperations() {}

    /** One operation: method, path template below {@code /api} (e.g. {@code /accounts/{account}/events}), id. */
    public record Operation(String method, String path, String id) {
        /** The path with each {@code {name}} replaced by its (already encoded) value. */
        public String with(Map<String, String> params) {
            String result = path;
            for (Map.Entry<String, String> p : params.entrySet()) {
                result = result.replace("{" + p.getKey() + "}", p.getValue());
            }
            return "/api" + result;
        }

        public List<String> parameters() {
            List<String> names = new ArrayList<>();
            Matcher m = Pattern.compile("\\{([^}]+)}").matcher(path);
            while (m.find()) {
                names.add(m.group(1));
            }
            return names;
        }
    }

    public static List<Operation> all() {
        try {
            JsonNode openapi = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(
                    Path.of(System.getProperty("sequencer.projectDir", ".")).resolve("openapi.yaml")));
            List<Operation> operations = new ArrayList<>();
            Iterator<Map.Entry<String, JsonNode>> paths = openapi.path("paths").fields();
            while (paths.hasNext()) {
                Map.Entry<String, JsonNode> path = paths.next();
                Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields();
                while (methods.hasNext()) {
                    Map.Entry<String, JsonNode> method = methods.next();
                    if (method.getValue().has("operationId")) {
                        operations.add(new Operation(method.getKey().toUpperCase(Locale.ROOT), path.getKey(),
                                method.getValue().path("operationId").asText()));
                    }
                }
            }
            return operations;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
