package io.sequencer.engine.send;

/**
 * How a send waits for a {@link Bulkhead} slot: in real time, on the bulkhead's monitor. A test steps a time of its
 * own instead, so how long a send may wait is a moment it computes, not one it measures.
 */
interface SlotWaits {
    /** Now, in nanoseconds of a clock that never goes back (only differences mean anything). */
    long nanoTime();

    /** Waits on {@code monitor}, which the caller holds, for at most {@code millis}; it may return sooner. */
    void await(Object monitor, long millis) throws InterruptedException;

    /** Wakes one send waiting on {@code monitor}, which the caller holds. */
    void wakeOne(Object monitor);

    /** Real time: {@link System#nanoTime()} and the monitor's own wait and notify. */
    SlotWaits REAL_TIME = new SlotWaits() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void await(Object monitor, long millis) throws InterruptedException {
            monitor.wait(millis);
        }

        @Override
        public void wakeOne(Object monitor) {
            monitor.notify();
        }
    };
}
