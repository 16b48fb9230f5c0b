package io.sequencer.engine.send;

import io.sequencer.domain.report.Rates;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * One destination's circuit breaker. Closed, it lets every send through and keeps the last {@link Rules#window()}
 * outcomes; once at least {@link Rules#minimumCalls()} of them are known and {@link Rules#failureRate()} of them
 * failed, it opens for {@link Rules#openFor()}. Then it lets one probe through (half-open): a probe that the
 * destination answers closes it, one that fails opens it again for twice as long (up to
 * {@link Rules#MAX_OPEN_FACTOR} times {@code openFor}), so a long outage costs few probes. A probe is a real send,
 * and counts as an attempt of the step it carries; sends put off while the circuit is open do not. Only transient failures (timeouts,
 * network errors, 408, 429, 5xx) are failures: a permanent 4xx is an answer, so the destination is up.
 *
 * <p>State is in memory and per instance, as a circuit breaker's is: each instance finds out for itself, within a
 * few sends, that a destination is failing or well again; nothing is written to storage on the send path for it.
 * Time is whatever the caller passes (the engine's clock), so every rule is testable without sleeping.
 */
final class Circuit {

    /** How a circuit judges its destination. */
    record Rules(int window, int minimumCalls, double failureRate, Duration openFor, Duration probeWait) {
        /** The last 10 sends; open at half of them failing once 5 are known; probe again after 30 s. */
        static final Rules DEFAULT = new Rules(10, 5, 0.5, Duration.ofSeconds(30), Duration.ofSeconds(5));
        /** A failed probe doubles the open time, up to this many times the first. */
        static final int MAX_OPEN_FACTOR = 16;

        Rules {
            if (window < 1 || minimumCalls < 1 || minimumCalls > window || failureRate <= 0 || failureRate > 1
                    || openFor.isNegative() || openFor.isZero() || probeWait.isNegative() || probeWait.isZero()) {
                throw new IllegalArgumentException("window >= minimumCalls >= 1, 0 < failureRate <= 1, positive durations");
            }
        }

        Rules withOpenFor(Duration open) {
            return new Rules(window, minimumCalls, failureRate, open, probeWait);
        }
    }

    public enum State {
        CLOSED, OPEN, HALF_OPEN;

        String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** What the circuit says to one send. */
    sealed interface Pass {
        /** Go ahead; {@code probe} when it is the one send that decides whether a half-open circuit closes. */
        record Through(boolean probe) implements Pass {}

        /** Not before {@code until}. */
        record Blocked(Instant until) implements Pass {}
    }

    /** What a circuit is like now. */
    record Status(State state, Instant since, Instant until, double failureRate, int calls) {}

    private final Rules rules;
    private final boolean[] failed;
    private int next;
    private int calls;
    private int failures;
    private State state = State.CLOSED;
    private Instant openedAt;
    private Instant openUntil;
    private Duration openFor;
    private boolean probing;

    Circuit(Rules rules) {
        this.rules = rules;
        this.failed = new boolean[rules.window()];
    }

    synchronized Pass pass(Instant now) {
        switch (state) {
            case CLOSED -> {
                return new Pass.Through(false);
            }
            case OPEN -> {
                if (now.isBefore(openUntil)) {
                    return new Pass.Blocked(openUntil);
                }
                state = State.HALF_OPEN;
                probing = true;
                return new Pass.Through(true);
            }
            default -> {
                if (probing) {
                    // The probe has not answered yet (a hanging destination holds it until the channel's timeout).
                    return new Pass.Blocked(now.plus(rules.probeWait()));
                }
                probing = true;
                return new Pass.Through(true);
            }
        }
    }

    /** The outcome of a send {@link #pass} let through: {@code failure} when it failed transiently. */
    synchronized void record(boolean probe, boolean failure, Instant now) {
        if (probe) {
            probing = false;
            if (failure) {
                openFor = min(openFor.multipliedBy(2), rules.openFor().multipliedBy(Rules.MAX_OPEN_FACTOR));
                open(now);
            } else {
                close();
            }
            return;
        }
        if (state != State.CLOSED) {
            return; // let through before the circuit opened; the probe decides now
        }
        if (calls == failed.length) {
            failures -= failed[next] ? 1 : 0;
        } else {
            calls++;
        }
        failed[next] = failure;
        failures += failure ? 1 : 0;
        next = (next + 1) % failed.length;
        if (calls >= rules.minimumCalls() && failures >= rules.failureRate() * calls) {
            openedAt = now;
            openFor = rules.openFor();
            open(now);
        }
    }

    /** A probe that never reached the destination (its send was not made): the next send probes instead. */
    synchronized void abandonProbe() {
        probing = false;
    }

    /** Empty while closed. */
    synchronized Optional<Status> status() {
        if (state == State.CLOSED) {
            return Optional.empty();
        }
        return Optional.of(new Status(state, openedAt, openUntil, Rates.of(failures, calls).orElse(0.0), calls));
    }

    private void open(Instant now) {
        state = State.OPEN;
        openUntil = now.plus(openFor);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private void close() {
        state = State.CLOSED;
        calls = 0;
        failures = 0;
        next = 0;
        openedAt = null;
        openUntil = null;
        Arrays.fill(failed, false);
    }
}
