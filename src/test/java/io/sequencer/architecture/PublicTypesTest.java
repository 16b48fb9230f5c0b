package io.sequencer.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Package-private is the default: a top-level type under {@code src/main} is public only when code in another
 * package (the app, the local host, the bench or a test) names it, when the Functions worker loads it (a class with
 * {@code @FunctionName} methods), or for a reason listed in {@link #REACHED_WITHOUT_ITS_NAME}.
 */
class PublicTypesTest {
    private static final Path ROOT = Path.of(System.getProperty("sequencer.projectDir", "."));
    private static final List<String> SOURCE_SETS = List.of("src/main/java", "src/local/java", "src/bench/java",
            "src/test/java");
    private static final Pattern DOTTED = Pattern.compile("\\bio\\.sequencer(?:\\.(?:\\w+|\\*))+");
    /** The names each source mentions, read once per source rather than once per public type. */
    private static final Map<String, Set<String>> NAMES = new IdentityHashMap<>();
    private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+);");
    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "(?m)^public\\s+(?:(?:final|abstract|sealed|non-sealed)\\s+)*(?:class|interface|enum|record|@interface)\\s+(\\w+)");

    /** Public types that other packages use without writing their name, each with how they reach it. */
    private static final Map<String, String> REACHED_WITHOUT_ITS_NAME = Map.of(
            "io.sequencer.engine.secret.SecretUsers",
            "a lambda parameter of AccountSecrets' public constructor, which tests in other packages build");

    @Test
    void a_public_type_is_used_by_name_outside_its_package() throws IOException {
        Map<Path, String[]> sources = new HashMap<>(); // file -> {package, text}
        for (String set : SOURCE_SETS) {
            Path dir = ROOT.resolve(set);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    String text = Files.readString(file);
                    Matcher pkg = PACKAGE.matcher(text);
                    sources.put(file, new String[] {pkg.find() ? pkg.group(1) : "", text});
                }
            }
        }
        List<String> needlesslyPublic = new ArrayList<>();
        int publicTypes = 0;
        for (Map.Entry<Path, String[]> source : sources.entrySet()) {
            if (!source.getKey().startsWith(ROOT.resolve("src/main/java"))) {
                continue;
            }
            Matcher type = PUBLIC_TYPE.matcher(source.getValue()[1]);
            String fileName = source.getKey().getFileName().toString().replace(".java", "");
            if (!type.find() || !type.group(1).equals(fileName) || source.getValue()[1].contains("@FunctionName")) {
                continue;
            }
            publicTypes++;
            String qualified = source.getValue()[0] + "." + fileName;
            if (!REACHED_WITHOUT_ITS_NAME.containsKey(qualified) && !namedOutside(sources, source.getValue()[0], qualified)) {
                needlesslyPublic.add(qualified);
            }
        }
        assertThat(publicTypes).as("public types found (the scan reads the sources)").isGreaterThan(100);
        assertThat(needlesslyPublic).as("public types no other package names: make them package-private").isEmpty();
    }

    /**
     * Whether a file outside {@code pkg} names {@code qualified}: by its qualified name (an import or a use), or by its
     * simple name under a wildcard import of {@code pkg}.
     */
    private static boolean namedOutside(Map<Path, String[]> sources, String pkg, String qualified) {
        String simple = qualified.substring(pkg.length() + 1);
        for (String[] other : sources.values()) {
            if (other[0].equals(pkg)) {
                continue;
            }
            Set<String> names = namesIn(other[1]);
            if (names.contains(qualified) || names.contains(pkg + ".*") && Pattern.compile("\\b" + simple + "\\b")
                    .matcher(other[1]).find()) {
                return true;
            }
        }
        return false;
    }

    /** Every dotted name in {@code text} that starts with the project's root package, and each of its prefixes. */
    private static Set<String> namesIn(String text) {
        return NAMES.computeIfAbsent(text, t -> {
            Set<String> names = new HashSet<>();
            Matcher dotted = DOTTED.matcher(t);
            while (dotted.find()) {
                String name = dotted.group();
                names.add(name);
                for (int dot = name.lastIndexOf('.'); dot > 0; dot = name.lastIndexOf('.', dot - 1)) {
                    names.add(name.substring(0, dot));
                }
            }
            return names;
        });
    }
}
