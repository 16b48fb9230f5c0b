package io.sequencer.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The relative links of Markdown pages and whether they resolve: the file exists, and an {@code #anchor} names a
 * heading of the page it points to, slugged as GitHub renders it. Fenced code is not Markdown, so its brackets are
 * not links and its {@code #} lines are not headings.
 */
final class MarkdownLinks {
    /** {@code [label](target)} or {@code ![alt](target)}, an optional title after the target; labels may wrap. */
    private static final Pattern LINK = Pattern.compile("\\[([^\\]]*)\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s+(?:id|name)=\"([^\"]+)\"");
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

    /** A link that does not resolve, and why. */
    record Dead(Path page, String target, String why) {
        @Override
        public String toString() {
            return page + ": (" + target + ") " + why;
        }
    }

    private final Path root;
    private final Map<Path, Set<String>> anchorsByPage = new HashMap<>();

    MarkdownLinks(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The relative targets (no scheme) of the page's links, in order. */
    static List<String> relativeTargets(String markdown) {
        List<String> targets = new ArrayList<>();
        Matcher m = LINK.matcher(withoutCode(markdown));
        while (m.find()) {
            if (!SCHEME.matcher(m.group(2)).find()) {
                targets.add(m.group(2));
            }
        }
        return targets;
    }

    /** Every relative link of {@code page} that does not resolve. */
    List<Dead> deadLinks(Path page) {
        Path absolute = root.resolve(page).normalize();
        List<Dead> dead = new ArrayList<>();
        for (String target : relativeTargets(read(absolute))) {
            int hash = target.indexOf('#');
            String path = hash < 0 ? target : target.substring(0, hash);
            Optional<String> anchor = hash < 0 ? Optional.empty() : Optional.of(target.substring(hash + 1));
            Path file = path.isEmpty() ? absolute : absolute.getParent().resolve(path).normalize();
            if (!file.startsWith(root)) {
                dead.add(new Dead(page, target, "leads outside the project"));
            } else if (!Files.exists(file)) {
                dead.add(new Dead(page, target, "no such file"));
            } else if (anchor.isPresent() && file.toString().endsWith(".md") && !anchors(file).contains(anchor.get())) {
                dead.add(new Dead(page, target, "no heading with that anchor in " + root.relativize(file)));
            }
        }
        return dead;
    }

    /** The anchors a page offers: its headings' slugs (a repeated one numbered as GitHub does) and HTML anchors. */
    Set<String> anchors(Path file) {
        return anchorsByPage.computeIfAbsent(file.toAbsolutePath().normalize(), f -> {
            Set<String> anchors = new LinkedHashSet<>();
            Map<String, Integer> seen = new HashMap<>();
            for (String line : withoutCode(read(f)).split("\n", -1)) {
                Matcher heading = HEADING.matcher(line);
                if (heading.matches()) {
                    String slug = slug(heading.group(1));
                    int times = seen.merge(slug, 1, Integer::sum);
                    anchors.add(times == 1 ? slug : slug + "-" + (times - 1));
                }
                Matcher html = HTML_ANCHOR.matcher(line);
                while (html.find()) {
                    anchors.add(html.group(1));
                }
            }
            return anchors;
        });
    }

    /**
     * GitHub's anchor for a heading: the text as rendered (code marks dropped, a link's label kept), lower-cased,
     * every character but letters, digits, spaces, hyphens and underscores dropped, spaces made hyphens.
     */
    static String slug(String heading) {
        String text = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1").replace("`", "");
        return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}\\p{M}_ -]", "").replace(' ', '-');
    }

    /** The text with fenced code blocks blanked (their lines kept, so nothing else moves). */
    static String withoutCode(String markdown) {
        StringBuilder out = new StringBuilder();
        String fence = null;
        for (String line : markdown.split("\n", -1)) {
            String trimmed = line.stripLeading();
            if (fence == null && (trimmed.startsWith("```") || trimmed.startsWith("~~~"))) {
                fence = trimmed.substring(0, 3);
                out.append('\n');
            } else if (fence != null) {
                if (trimmed.startsWith(fence)) {
                    fence = null;
                }
                out.append('\n');
            } else {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
