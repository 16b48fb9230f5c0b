package io.sequencer.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.adapters.json.Json;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * A headless Chromium for browser tests. It renders a page at a fixed window size, takes a full-page PNG screenshot,
 * and reports every error the page caused: {@code console.error} calls, uncaught exceptions, and what the browser
 * itself logs as an error (a resource that failed to load, a style or script the page's Content-Security-Policy
 * refused). It is driven over the DevTools protocol, listening on 127.0.0.1 only; {@link #close()} kills it and
 * deletes its temporary profile.
 */
public final class HeadlessChromium implements AutoCloseable {
    /** Installs Chromium when it is missing; the build runs it before the integration tests. */
    public static final String INSTALL_SCRIPT = "scripts/ensure-chromium";

    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static final Duration COMMAND = Duration.ofSeconds(20);
    /** Taller pages are cut here, so one runaway page cannot make a screenshot of hundreds of megabytes. */
    private static final int MAX_SCREENSHOT_HEIGHT = 16_000;
    private static final String LISTENING = "DevTools listening on ";

    private final Process process;
    private final Path profile;
    private final int width;
    private final int height;
    private final Deque<String> logTail = new ArrayDeque<>();
    private final CompletableFuture<URI> devToolsUrl = new CompletableFuture<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile DevToolsConnection devTools;

    /**
     * What rendering a page gave: its screenshot, the width of its content (wider than the window when something
     * sticks out sideways), the errors it caused (in order, each prefixed by its kind), and the elements matched by
     * each selector asked for.
     */
    public record Rendering(URI page, byte[] png, double contentWidth, List<String> errors,
                            Map<String, List<Element>> elements) {
        public Rendering {
            errors = List.copyOf(errors);
            elements = Map.copyOf(elements);
        }

        public List<Element> elements(String selector) {
            return Optional.ofNullable(elements.get(selector))
                    .orElseThrow(() -> new IllegalArgumentException(selector + " was not asked for when rendering"));
        }
    }

    /** An element as the browser holds it after loading: its markup, and its box on the page unless it has none. */
    public record Element(String outerHtml, Optional<Box> box) {}

    /** Where an element's border box lies on the page, in CSS pixels (the screenshot's pixels at scale 1). */
    public record Box(double x, double y, double width, double height) {}

    private HeadlessChromium(Path binary, int width, int height) throws IOException {
        this.width = width;
        this.height = height;
        profile = Files.createTempDirectory("chromium-profile");
        List<String> command = new ArrayList<>(List.of(binary.toString(),
                "--headless=new",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                "--user-data-dir=" + profile,
                "--window-size=" + width + "," + height,
                "--disable-gpu",
                "--disable-dev-shm-usage", // containers often have a tiny /dev/shm
                "--disable-extensions",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--no-default-browser-check",
                "--hide-scrollbars",
                "--mute-audio"));
        if (runningAsRoot()) {
            command.add("--no-sandbox"); // Chromium refuses to start as root with its sandbox on
        }
        command.add("about:blank");
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            TempFiles.delete(profile);
            throw e;
        }
        // a test run that ends without closing (a crash, an interrupt) must not leave a browser behind
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "chromium-stop"));
    }

    /** Starts Chromium with a {@code width} x {@code height} window; fails clearly when it is not installed. */
    public static HeadlessChromium start(int width, int height) {
        Path binary = binary();
        HeadlessChromium chromium;
        try {
            chromium = new HeadlessChromium(binary, width, height);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary, e);
        }
        try {
            chromium.connect();
            return chromium;
        } catch (RuntimeException e) {
            chromium.close();
            throw e;
        }
    }

    /** The {@code chromium} on PATH. */
    public static Path binary() {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        return Stream.of(path.split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, "chromium"))
                .filter(Files::isExecutable)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("chromium is not on PATH: run " + INSTALL_SCRIPT
                        + " (the build runs it before the integration tests; it installs Debian's chromium package)"));
    }

    private void connect() {
        Thread reader = new Thread(this::readLog, "chromium-log");
        reader.setDaemon(true);
        reader.start();
        URI url;
        try {
            url = devToolsUrl.get(STARTUP.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new IllegalStateException("Chromium did not open DevTools within " + STARTUP + "; its output ended:\n"
                    + logTail(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting Chromium", e);
        }
        if (!"127.0.0.1".equals(url.getHost())) {
            throw new IllegalStateException("Chromium listens on " + url.getHost() + ", not on 127.0.0.1 only");
        }
        devTools = DevToolsConnection.open(url, COMMAND);
    }

    /** Reads Chromium's output to its end (so it never blocks on a full pipe), watching for the DevTools address. */
    private void readLog() {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                synchronized (logTail) {
                    logTail.addLast(line);
                    if (logTail.size() > 40) {
                        logTail.removeFirst();
                    }
                }
                int at = line.indexOf(LISTENING);
                if (at >= 0) {
                    devToolsUrl.complete(URI.create(line.substring(at + LISTENING.length()).trim()));
                }
            }
        } catch (IOException e) {
            // the process was killed while we read: its output simply ends
        }
        devToolsUrl.completeExceptionally(new IllegalStateException("Chromium exited before opening DevTools"));
    }

    private String logTail() {
        synchronized (logTail) {
            return String.join("\n", logTail);
        }
    }

    public Rendering render(Path htmlFile, Duration timeout, String... selectors) {
        return render(htmlFile.toAbsolutePath().toUri(), timeout, selectors);
    }

    /**
     * Opens {@code page} in a new tab, waits until it has loaded and the network has been idle for a moment (so late
     * resource failures are in), finds the elements each of {@code selectors} matches, takes a screenshot of the whole
     * page, and closes the tab.
     */
    public Rendering render(URI page, Duration timeout, String... selectors) {
        Instant deadline = Instant.now().plus(timeout);
        String targetId = devTools.call(null, "Target.createTarget", Json.object().put("url", "about:blank"), COMMAND)
                .path("targetId").asText();
        boolean rendered = false;
        try {
            String session = devTools.call(null, "Target.attachToTarget",
                    Json.object().put("targetId", targetId).put("flatten", true), COMMAND).path("sessionId").asText();
            PageErrors errors = new PageErrors(session);
            devTools.call(session, "Page.enable", null, COMMAND);
            devTools.call(session, "Page.setLifecycleEventsEnabled", Json.object().put("enabled", true), COMMAND);
            devTools.call(session, "Runtime.enable", null, COMMAND);
            devTools.call(session, "Log.enable", null, COMMAND);
            devTools.call(session, "Emulation.setDeviceMetricsOverride", Json.object().put("width", width)
                    .put("height", height).put("deviceScaleFactor", 1).put("mobile", false), COMMAND);

            JsonNode navigation = devTools.call(session, "Page.navigate", Json.object().put("url", page.toString()),
                    COMMAND);
            if (navigation.hasNonNull("errorText")) {
                errors.add("navigation: " + navigation.get("errorText").asText() + " " + page);
            } else {
                awaitLoaded(session, navigation.path("loaderId").asText(), errors, deadline, page);
            }
            Map<String, List<Element>> elements = new LinkedHashMap<>();
            for (String selector : selectors) {
                elements.put(selector, elements(session, selector));
            }
            JsonNode content = devTools.call(session, "Page.getLayoutMetrics", null, COMMAND).path("cssContentSize");
            byte[] png = screenshot(session, content.path("height").asDouble());
            errors.takeAll(devTools, Instant.now()); // whatever arrived while the screenshot was taken
            rendered = true;
            return new Rendering(page, png, content.path("width").asDouble(), errors.list(), elements);
        } finally {
            try {
                devTools.call(null, "Target.closeTarget", Json.object().put("targetId", targetId), COMMAND);
            } catch (RuntimeException e) {
                if (rendered) {
                    throw e;
                }
                // otherwise a failure is already on its way out, and says more than this consequence of it
            }
        }
    }

    /** Takes events until this navigation's {@code load} and {@code networkIdle} lifecycle events have both come. */
    private void awaitLoaded(String session, String loaderId, PageErrors errors, Instant deadline, URI page) {
        boolean loaded = false;
        boolean idle = false;
        while (!(loaded && idle)) {
            JsonNode event = devTools.nextEvent(deadline).orElseThrow(() -> new IllegalStateException(
                    page + " did not finish loading in time; errors so far: " + errors.list()));
            errors.take(event);
            JsonNode params = event.path("params");
            if (session.equals(event.path("sessionId").asText())
                    && "Page.lifecycleEvent".equals(event.path("method").asText())
                    && loaderId.equals(params.path("loaderId").asText())) {
                loaded |= "load".equals(params.path("name").asText());
                idle |= "networkIdle".equals(params.path("name").asText());
            }
        }
    }

    /** Read through the DOM domain, not by running script, so it works under a policy that forbids scripts. */
    private List<Element> elements(String session, String selector) {
        long root = devTools.call(session, "DOM.getDocument", Json.object().put("depth", 0), COMMAND)
                .path("root").path("nodeId").asLong();
        JsonNode nodeIds = devTools.call(session, "DOM.querySelectorAll",
                Json.object().put("nodeId", root).put("selector", selector), COMMAND).path("nodeIds");
        List<Element> elements = new ArrayList<>();
        for (JsonNode nodeId : nodeIds) {
            String html = devTools.call(session, "DOM.getOuterHTML", Json.object().put("nodeId", nodeId.asLong()),
                    COMMAND).path("outerHTML").asText();
            elements.add(new Element(html, box(session, nodeId.asLong())));
        }
        return elements;
    }

    /** The border box, or empty for an element that is not laid out (hidden, or in the head). */
    private Optional<Box> box(String session, long nodeId) {
        JsonNode model;
        try {
            model = devTools.call(session, "DOM.getBoxModel", Json.object().put("nodeId", nodeId), COMMAND).path("model");
        } catch (DevToolsConnection.CommandFailed e) {
            return Optional.empty(); // "Could not compute box model": the element has no box
        }
        JsonNode border = model.path("border"); // x1,y1 .. x4,y4 clockwise from the top left
        return Optional.of(new Box(border.get(0).asDouble(), border.get(1).asDouble(), model.path("width").asDouble(),
                model.path("height").asDouble()));
    }

    /** The window's width and the page's whole height (or the window's, when the page is shorter). */
    private byte[] screenshot(String session, double contentHeight) {
        int pageHeight = (int) Math.min(MAX_SCREENSHOT_HEIGHT, Math.max(height, Math.ceil(contentHeight)));
        ObjectNode clip = Json.object().put("x", 0).put("y", 0).put("width", width).put("height", pageHeight)
                .put("scale", 1);
        ObjectNode params = Json.object().put("format", "png").put("captureBeyondViewport", true);
        params.set("clip", clip);
        String data = devTools.call(session, "Page.captureScreenshot", params, COMMAND).path("data").asText();
        return Base64.getDecoder().decode(data);
    }

    /** Kills Chromium (and what it started) and deletes its profile; once, however often it is called. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (devTools != null) {
            devTools.close();
        }
        List<ProcessHandle> children = process.descendants().toList(); // once it is gone they are nobody's
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        TempFiles.delete(profile);
    }

    private static boolean runningAsRoot() {
        return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    }

    /** The errors one tab reported, from the events of its session. */
    private static final class PageErrors {
        private final String session;
        private final List<String> errors = new ArrayList<>();

        PageErrors(String session) {
            this.session = session;
        }

        void add(String error) {
            errors.add(error);
        }

        List<String> list() {
            return List.copyOf(errors);
        }

        void takeAll(DevToolsConnection devTools, Instant deadline) {
            for (Optional<JsonNode> event = devTools.nextEvent(deadline); event.isPresent();
                 event = devTools.nextEvent(deadline)) {
                take(event.get());
            }
        }

        void take(JsonNode event) {
            if (!session.equals(event.path("sessionId").asText())) {
                return;
            }
            JsonNode params = event.path("params");
            switch (event.path("method").asText()) {
                case "Runtime.consoleAPICalled" -> {
                    String type = params.path("type").asText();
                    if (type.equals("error") || type.equals("assert")) {
                        List<String> args = new ArrayList<>();
                        params.path("args").forEach(arg -> args.add(arg.has("value") ? arg.get("value").asText()
                                : arg.path("description").asText(arg.path("type").asText())));
                        errors.add("console." + type + ": " + String.join(" ", args));
                    }
                }
                case "Runtime.exceptionThrown" -> {
                    JsonNode details = params.path("exceptionDetails");
                    errors.add("uncaught: " + details.path("exception").path("description")
                            .asText(details.path("text").asText()));
                }
                case "Log.entryAdded" -> {
                    JsonNode entry = params.path("entry");
                    if (entry.path("level").asText().equals("error")) {
                        errors.add("log (" + entry.path("source").asText() + "): " + entry.path("text").asText()
                                + (entry.hasNonNull("url") ? " " + entry.get("url").asText() : ""));
                    }
                }
                default -> { }
            }
        }
    }
}
