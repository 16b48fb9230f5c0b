package io.sequencer.engine.send;

import io.sequencer.testing.SteppingClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * Waits for a bulkhead slot on a stepping clock: a wait moves the clock on to its end, or to the moment a send that
 * ends meanwhile wakes it. What other sends do meanwhile is set by the test ({@link #at}) and happens on the
 * waiting thread, while it waits, the way another thread's send would; a send that arrives then and waits too waits
 * inside that wait, and is the one woken first. So how long a send may wait is a moment on the clock, not a measure.
 */
final class SteppedSlotWaits implements SlotWaits {
    private record Happening(Instant at, long order, Runnable action) {}

    private final SteppingClock clock;
    private final Instant start;
    private final PriorityQueue<Happening> planned =
            new PriorityQueue<>(Comparator.comparing(Happening::at).thenComparingLong(Happening::order));
    private long order;
    private boolean woken;

    SteppedSlotWaits(SteppingClock clock) {
        this.clock = clock;
        this.start = clock.instant();
    }

    /** Plans {@code action} for {@code after} the clock's start; it happens during the wait that reaches it. */
    SteppedSlotWaits at(Duration after, Runnable action) {
        planned.add(new Happening(start.plus(after), order++, action));
        return this;
    }

    /** Lets what is still planned happen, in order, with no send waiting. */
    void playTheRest() {
        for (Happening next = planned.poll(); next != null; next = planned.poll()) {
            if (next.at().isAfter(clock.instant())) {
                clock.set(next.at());
            }
            next.action().run();
        }
    }

    @Override
    public long nanoTime() {
        return Duration.between(start, clock.instant()).toNanos();
    }

    @Override
    public void await(Object monitor, long millis) {
        Instant end = clock.instant().plusMillis(millis);
        woken = false;
        while (!woken) {
            Happening next = planned.peek();
            if (next == null || next.at().isAfter(end)) {
                if (end.isAfter(clock.instant())) { // a wait inside this one may have run past its end already
                    clock.set(end);
                }
                return;
            }
            planned.remove();
            if (next.at().isAfter(clock.instant())) {
                clock.set(next.at());
            }
            next.action().run();
        }
    }

    @Override
    public void wakeOne(Object monitor) {
        woken = true;
    }
}
