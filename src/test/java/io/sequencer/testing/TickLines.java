package io.sequencer.testing;

import io.sequencer.functions.TickFunction;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The tick functions' outcome lines ({@code tick outcome=... account=... subscriber=... step=...}, one per tick the
 * local host of this JVM runs), collected while open. A test that must know a tick has run (a held step was held,
 * a stale one dropped) waits for its line instead of sleeping for a time that is long enough on a quiet machine.
 */
public final class TickLines implements AutoCloseable {
    /** The loggers the local host gives the tick functions, one per shard (LocalExecutionContext: "Function." + name). */
    private static final List<Logger> TICK = TickFunction.NAMES.stream().map(name -> Logger.getLogger("Function." + name))
            .toList();

    private final List<Set<String>> lines = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String message = record.getMessage();
            if (message != null && message.startsWith("tick ")) {
                lines.add(Arrays.stream(message.split(" ")).collect(Collectors.toUnmodifiableSet()));
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    private TickLines() {
        TICK.forEach(logger -> logger.addHandler(handler));
    }

    /** Collects from now until closed. */
    public static TickLines watch() {
        return new TickLines();
    }

    /** The lines so far that hold every one of {@code pairs} ({@code "outcome=dropped"}, {@code "subscriber=u1"}). */
    public long count(String... pairs) {
        List<String> wanted = List.of(pairs);
        return lines.stream().filter(tokens -> tokens.containsAll(wanted)).count();
    }

    /** Waits until a line holds every one of {@code pairs}; fails after {@code limit}. */
    public void await(Duration limit, String... pairs) {
        Instant deadline = Instant.now().plus(limit);
        while (count(pairs) == 0) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("no tick line with " + String.join(" ", pairs) + " within " + limit);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        TICK.forEach(logger -> logger.removeHandler(handler));
    }
}
