package io.sequencer.local;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A function route such as {@code accounts/{account}/sequences/{sequenceId}}, matched segment by segment. A segment
 * may follow its parameter with a literal, as ASP.NET Core's complex segments do: {@code {stepId}:preview} matches
 * {@code welcome:preview} with {@code stepId} = {@code welcome}.
 */
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
            } else if (template.startsWith("{") && template.indexOf('}') > 0) {
                int close = template.indexOf('}');
                String suffix = template.substring(close + 1);
                // Matched on the decoded segment, as ASP.NET Core matches; the parameter is the rest before the literal.
                if (value.length() <= suffix.length() || !value.regionMatches(true, value.length() - suffix.length(),
                        suffix, 0, suffix.length())) {
                    return Optional.empty();
                }
                String name = template.substring(1, close).split(":", 2)[0].replace("?", "");
                values.put(name, value.substring(0, value.length() - suffix.length()));
            } else if (!template.equalsIgnoreCase(value)) {
                return Optional.empty();
            }
        }
        return Optional.of(values);
    }

    /** Segments with a literal count more than bare parameters, so {@code a/b} wins over {@code a/{x}}. */
    int specificity() {
        return (int) segments.stream().filter(s -> !(s.startsWith("{") && s.endsWith("}"))).count();
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
