package io.sequencer.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.testing.HeadlessChromium;
import io.sequencer.testing.HeadlessChromium.Rendering;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The browser check itself: a page that logs an error, throws, misses a resource or breaks its own
 * Content-Security-Policy is reported as such, and a clean page is not. Without these, "no errors" would prove nothing.
 */
class HeadlessChromiumIT {
    private static final Duration LOAD = Duration.ofSeconds(30);
    private static HeadlessChromium chromium;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        chromium = HeadlessChromium.start(800, 600);
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void a_clean_page_has_no_errors_and_a_screenshot_of_the_window_size() throws IOException {
        Rendering rendering = chromium.render(page("clean.html", "<p>Hello</p>"), LOAD);

        assertThat(rendering.errors()).isEmpty();
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(rendering.png()));
        assertThat(image.getWidth()).isEqualTo(800);
        assertThat(image.getHeight()).isEqualTo(600);
    }

    @Test
    void console_error_is_reported() {
        Rendering rendering = chromium.render(page("console.html", "<script>console.error('x')</script>"), LOAD);

        assertThat(rendering.errors()).containsExactly("console.error: x");
    }

    @Test
    void an_uncaught_exception_is_reported() {
        Rendering rendering = chromium.render(page("throws.html", "<script>throw new Error('boom')</script>"), LOAD);

        assertThat(rendering.errors()).singleElement().asString().startsWith("uncaught: Error: boom");
    }

    @Test
    void an_image_that_is_not_there_is_reported() {
        Rendering rendering = chromium.render(page("broken-image.html", "<img src=\"missing.png\" alt=\"\">"), LOAD);

        assertThat(rendering.errors()).singleElement().asString()
                .startsWith("log (network): Failed to load resource").contains("missing.png");
    }

    @Test
    void a_style_the_page_policy_refuses_is_reported() {
        Rendering rendering = chromium.render(page("refused-style.html",
                "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\">"
                        + "<style>p { color: red }</style><p>styled</p>"), LOAD);

        assertThat(rendering.errors()).singleElement().asString().contains("Content Security Policy");
    }

    @Test
    void a_page_that_is_not_there_is_reported() {
        Rendering rendering = chromium.render(dir.resolve("nowhere.html"), LOAD);

        assertThat(rendering.errors()).singleElement().asString().startsWith("navigation: net::ERR_FILE_NOT_FOUND");
    }

    private Path page(String name, String body) {
        Path file = dir.resolve(name);
        try {
            Files.writeString(file, "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>t</title>"
                    + "</head><body>" + body + "</body></html>", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return file;
    }
}
