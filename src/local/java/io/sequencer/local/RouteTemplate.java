package io.sequencer.local;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A function route such as {@code accounts/{account}/sequences/{sequenceId}}, matched segment by segment. */
record RouteTemplate(List<String> segments) {

    static RouteTemplate parse(String route) {
        return new RouteTemplate(List.of(trimSlashes(route).split("/")));
    }

    /** The route parameters when {@code path} (below the route prefix) matches, decoded per segment. */
    Optional<Map<String, String>> match(String rawPath) {
        String[] parts = trimSlashes(rawPath).split("/", -1);
        if (parts.length != segments.size()) {
            return Optional.empty();
        }
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < parts.length; i++) {
            String template = segments.get(i);
            String value = URLDecoder.decode(parts[i].replace("+", "%2B"), StandardCharsets.UTF_8);
            if (template.startsWith("{") && template.endsWith("}")) {
                if (value.isEmpty()) {
                    return Optional.empty();
                }
                String name = template.substring(1, template.length() - 1).split(":", 2)[0].replace("?", "");
                values.put(name, value);
            } else if (!template.equalsIgnoreCase(value)) {
                return Optional.empty();
            }
        }
        return Optional.of(values);
    }

    /** Literal segments count more than parameters, so {@code a/b} wins over {@code a/{x}}. */
    int specificity() {
        return (int) segments.stream().filter(s -> !s.startsWith("{")).count();
    }

    private static String trimSlashes(String path) {
        String p = path;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }
}
