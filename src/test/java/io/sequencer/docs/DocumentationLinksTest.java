package io.sequencer.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README fits a first visit and leads to every guide in one click; no relative link or anchor in the README,
 * in docs/ or in an example's README (examples/NAME/README.md) is dead.
 */
class DocumentationLinksTest {
    private static final Path ROOT = Path.of(System.getProperty("sequencer.projectDir", "."));
    private static final int README_MAX_LINES = 250;
    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted()
                    .forEach(p -> pages.add(ROOT.relativize(p)));
        }
        // The receiver examples' guides: a host reads them first, so they are held to the same links.
        try (Stream<Path> examples = Files.list(ROOT.resolve("examples"))) {
            examples.map(p -> p.resolve("README.md")).filter(Files::isRegularFile).sorted()
                    .forEach(p -> pages.add(ROOT.relativize(p)));
        }
        return pages;
    }

    @Test
    void every_relative_link_and_anchor_in_the_readme_and_the_guides_resolves() throws IOException {
        MarkdownLinks links = new MarkdownLinks(ROOT);
        List<MarkdownLinks.Dead> dead = new ArrayList<>();
        int checked = 0;
        for (Path page : pages()) {
            checked += MarkdownLinks.relativeTargets(Files.readString(ROOT.resolve(page))).size();
            dead.addAll(links.deadLinks(page));
        }
        assertThat(dead).isEmpty();
        assertThat(checked).as("relative links checked").isGreaterThan(100);
    }

    @Test
    void the_readme_fits_a_first_visit_and_links_every_guide() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        assertThat(readme.lines().count()).as("README lines").isLessThanOrEqualTo(README_MAX_LINES);
        List<String> targets = MarkdownLinks.relativeTargets(readme);
        for (Path page : pages()) {
            if (!page.toString().equals("README.md")) {
                assertThat(targets).as("the README links " + page)
                        .anySatisfy(t -> assertThat(t.split("#")[0]).isEqualTo(page.toString().replace('\\', '/')));
            }
        }
    }

    @Test
    void every_section_of_a_guide_is_one_click_from_the_readme() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        List<String> targets = MarkdownLinks.relativeTargets(readme);
        MarkdownLinks links = new MarkdownLinks(ROOT);
        // The guides that hold what the README used to (the older pages, benchmarks, reliability and deployment,
        // are linked as a whole).
        for (String guide : List.of("API", "SEQUENCES", "EVENTS", "CHANNELS", "SECURITY", "NOTIFICATIONS", "REPORTS",
                "BROADCASTS", "OPERATIONS", "ARCHITECTURE", "GUARANTEES", "DEVELOPMENT")) {
            String page = "docs/" + guide + ".md";
            String text = MarkdownLinks.withoutCode(Files.readString(ROOT.resolve(page)));
            text.lines().filter(l -> l.startsWith("## ") || l.startsWith("### ")).forEach(heading -> {
                String target = page + "#" + MarkdownLinks.slug(heading.replaceFirst("^#+ ", ""));
                assertThat(targets).as("the README links " + target).contains(target);
            });
            assertThat(links.anchors(ROOT.resolve(page))).as(page).isNotEmpty();
        }
    }

    @Test
    void the_check_finds_a_missing_page_a_wrong_anchor_and_leaves_code_and_web_links_alone(@TempDir Path dir)
            throws IOException {
        Files.createDirectories(dir.resolve("docs"));
        Files.writeString(dir.resolve("docs/GUIDE.md"), """
                # Guide
                ## Keys and `tokens`
                ## Keys and `tokens`
                """);
        Files.writeString(dir.resolve("README.md"), """
                See [keys](docs/GUIDE.md#keys-and-tokens), [again](docs/GUIDE.md#keys-and-tokens-1),
                [a wrapped
                label](docs/GUIDE.md#guide) and [the web](https://example.com/x#y).
                [gone](docs/GONE.md) [wrong](docs/GUIDE.md#keys) [here](#nothing) [up](../outside.md)
                ```
                [in code](docs/NOPE.md)
                # not a heading
                ```
                """);

        List<MarkdownLinks.Dead> dead = new MarkdownLinks(dir).deadLinks(Path.of("README.md"));

        assertThat(dead).extracting(MarkdownLinks.Dead::target)
                .containsExactly("docs/GONE.md", "docs/GUIDE.md#keys", "#nothing", "../outside.md");
        assertThat(MarkdownLinks.slug("Path 1: `azd up`")).isEqualTo("path-1-azd-up");
        assertThat(MarkdownLinks.slug("Storage objects and host.json")).isEqualTo("storage-objects-and-hostjson");
    }
}
