package io.sequencer.engine.send;

import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.domain.channel.DeliveryDeferral;
import io.sequencer.domain.channel.Destination;
import io.sequencer.engine.tick.DeferredSteps;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Keeps one slow or failing destination from holding up the others: a bulkhead bounds the sends in flight to each
 * {@link Destination} (so a hanging receiver holds at most that many of the instance's queue workers, never all of
 * them), and a {@link Circuit} per destination stops sending there after repeated transient failures. A send that
 * may not go now is deferred, never dropped and never counted as an attempt: the caller puts it back on its queue
 * for when the circuit may let a probe through, or for a moment when the bulkhead is full, rather than blocking a
 * worker thread.
 *
 * <p>All of it is in memory, per instance, as a circuit breaker and a bulkhead are: a send slot is held by this
 * instance's threads, and each instance learns a destination's health from its own sends.
 */
public final class DestinationGuard {
    /** Sends in flight to one destination per instance: below host.json's newBatchThreshold (8), see the constructor. */
    static final int DEFAULT_SENDS_PER_DESTINATION = 4;
    /**
     * A send that found a slow destination's bulkhead full looks again after as long as the oldest send in flight
     * there has taken, but no sooner than {@link #BULKHEAD_RETRY} and no later than {@link #BULKHEAD_MAX_WAIT} (plus
     * up to {@link #SPREAD} at random).
     */
    static final Duration BULKHEAD_RETRY = Duration.ofSeconds(1);
    static final Duration BULKHEAD_MAX_WAIT = Duration.ofSeconds(10);
    /** Deferred sends return spread over this much, so that they do not all come back in one instant. */
    static final Duration SPREAD = Duration.ofSeconds(2);
    /**
     * A send that found a healthy destination's bulkhead full and its line of waiting sends full too (a burst)
     * looks again after this, plus up to as much again at random: by then the sends ahead of it have ended.
     */
    static final Duration BUSY_RETRY = Duration.ofMillis(250);
    /**
     * How long, at most, a send waits for a slot at a destination whose sends in flight are all younger than
     * {@link #SLOW_SEND}: a burst to a healthy receiver queues for its turn rather than being put off for seconds
     * (sends there end within moments, so the wait is short), and the wait ends as soon as a send there turns slow.
     */
    static final Duration SLOT_WAIT = Duration.ofSeconds(1);
    /**
     * A send in flight this long (a healthy receiver answers far sooner) marks its destination slow: a send that
     * finds no slot there is put off rather than waiting.
     */
    static final Duration SLOW_SEND = Duration.ofMillis(500);

    /** No limits: for tests of other rules and for tools. */
    public static final DestinationGuard NONE = new DestinationGuard(Integer.MAX_VALUE, null, Duration.ZERO, Clock.systemUTC());

    private final int sendsPerDestination;
    private final Circuit.Rules rules;
    private final Duration slotWait;
    private final Clock clock;
    private final Map<Destination, Bulkhead> bulkheads = new ConcurrentHashMap<>();
    private final Map<Destination, Circuit> circuits = new ConcurrentHashMap<>();
    private final DeferredSteps deferredSteps = new DeferredSteps();

    /**
     * @param sendsPerDestination sends in flight to one destination at once on this instance. The local host and the
     *     Functions host fetch a new batch of queue messages only while at most {@code newBatchThreshold} (8) are
     *     running, so this must stay below it, or one hanging destination stops the instance from taking any work
     * @param openFor how long a circuit stays open before it lets a probe through
     */
    public DestinationGuard(int sendsPerDestination, Duration openFor, Clock clock) {
        this(sendsPerDestination, Circuit.Rules.DEFAULT.withOpenFor(openFor), SLOT_WAIT, clock);
    }

    public DestinationGuard(int sendsPerDestination, Circuit.Rules rules, Duration slotWait, Clock clock) {
        if (sendsPerDestination < 1) {
            throw new IllegalArgumentException("sendsPerDestination must be at least 1");
        }
        this.sendsPerDestination = sendsPerDestination;
        this.rules = rules;
        this.slotWait = slotWait;
        this.clock = clock;
    }

    /** Whether a send to {@code channel}'s destination may go now. */
    public sealed interface Admission {
        /** Send, then {@link Permit#record record} what came of it; close the permit in any case. */
        record Go(Permit permit) implements Admission {}

        /** Not now: put the send back for {@code deferral.until()}. */
        record Defer(DeliveryDeferral deferral) implements Admission {}
    }

    public Admission admit(ChannelConfig channel) {
        if (this == NONE) {
            return new Admission.Go(Permit.FREE);
        }
        Destination destination = channel.destination();
        Instant now = clock.instant();
        Circuit circuit = circuits.computeIfAbsent(destination, d -> new Circuit(rules));
        Circuit.Pass pass = circuit.pass(now);
        if (pass instanceof Circuit.Pass.Blocked blocked) {
            return new Admission.Defer(new DeliveryDeferral(destination.key(), DeliveryDeferral.Cause.CIRCUIT_OPEN,
                    now, spread(blocked.until())));
        }
        boolean probe = ((Circuit.Pass.Through) pass).probe();
        Bulkhead bulkhead = bulkheads.computeIfAbsent(destination, d -> new Bulkhead(sendsPerDestination));
        Optional<Instant> slot = enter(bulkhead);
        if (slot.isEmpty()) {
            if (probe) {
                circuit.abandonProbe();
            }
            Instant gaveUp = clock.instant();
            return new Admission.Defer(new DeliveryDeferral(destination.key(), DeliveryDeferral.Cause.BULKHEAD_FULL,
                    gaveUp, bulkheadRetry(bulkhead.longestInFlight(gaveUp), gaveUp)));
        }
        return new Admission.Go(new Permit(circuit, bulkhead, slot.get(), probe, clock));
    }

    /** The circuits that are not closed now, by destination. */
    public List<CircuitView> openCircuits() {
        return circuits.entrySet().stream()
                .flatMap(e -> e.getValue().status().stream().map(s -> new CircuitView(e.getKey(), s.state().wireName(),
                        s.since(), s.until(), s.failureRate(), s.calls())))
                .sorted(Comparator.comparing(v -> v.destination().key()))
                .toList();
    }

    /** An open (or half-open) circuit as metrics show it: since it opened, until it lets a probe through. */
    public record CircuitView(Destination destination, String state, Instant since, Instant until, double failureRate,
                              int calls) {}

    /** The steps this instance deferred for an open circuit, for the enrollment's detail and the timeline. */
    public DeferredSteps deferredSteps() {
        return deferredSteps;
    }

    /**
     * A slot, waiting at most {@link #slotWait} and only while the sends in flight are young (a healthy destination
     * frees one within moments), not at all once one of them is slow: a hanging destination never holds a worker
     * that could send elsewhere for longer than it takes to see that it hangs.
     */
    private Optional<Instant> enter(Bulkhead bulkhead) {
        try {
            return bulkhead.enter(clock, slotWait, SLOW_SEND);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * When a send the bulkhead turned away looks again: soon while the destination's sends in flight are young (a
     * burst that outran the line of waiting sends), else after about as long as they have taken.
     */
    private static Instant bulkheadRetry(Duration busy, Instant now) {
        if (busy.compareTo(SLOW_SEND) < 0) {
            return now.plus(BUSY_RETRY).plusNanos(ThreadLocalRandom.current().nextLong(BUSY_RETRY.toNanos()));
        }
        Duration after = busy.compareTo(BULKHEAD_RETRY) < 0 ? BULKHEAD_RETRY
                : busy.compareTo(BULKHEAD_MAX_WAIT) > 0 ? BULKHEAD_MAX_WAIT : busy;
        return spread(now.plus(after));
    }

    private static Instant spread(Instant at) {
        return at.plusNanos(ThreadLocalRandom.current().nextLong(SPREAD.toNanos()));
    }

    /** A send slot at one destination; {@link #close} gives it back. */
    public static final class Permit implements AutoCloseable {
        static final Permit FREE = new Permit(null, null, null, false, null);

        private final Circuit circuit;
        private final Bulkhead bulkhead;
        private final Instant slot;
        private final boolean probe;
        private final Clock clock;
        private boolean recorded;

        private Permit(Circuit circuit, Bulkhead bulkhead, Instant slot, boolean probe, Clock clock) {
            this.circuit = circuit;
            this.bulkhead = bulkhead;
            this.slot = slot;
            this.probe = probe;
            this.clock = clock;
        }

        /** What the send came to: a transient failure counts against the destination, any answer for it. */
        public void record(SendResult result) {
            if (circuit != null && !recorded) {
                recorded = true;
                circuit.record(probe, result instanceof SendResult.TransientFailure, clock.instant());
            }
        }

        @Override
        public void close() {
            if (bulkhead == null) {
                return;
            }
            if (probe && !recorded) {
                circuit.abandonProbe();
            }
            bulkhead.leave(slot, clock.instant());
        }
    }
}
