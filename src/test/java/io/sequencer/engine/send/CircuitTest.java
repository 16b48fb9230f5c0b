package io.sequencer.engine.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** One destination's circuit on its own: which rules it takes, and how it counts what it was told. */
class CircuitTest {
    private static final Duration OPEN_FOR = Duration.ofSeconds(30);
    private static final Duration PROBE_WAIT = Duration.ofSeconds(5);
    private static final Instant NOW = Instant.parse("2026-03-01T09:00:00Z");

    private static Circuit.Rules rules(int window, int minimumCalls, double failureRate) {
        return new Circuit.Rules(window, minimumCalls, failureRate, OPEN_FOR, PROBE_WAIT);
    }

    @Test
    void the_tightest_rules_are_taken_one_send_in_the_window_and_every_one_of_them_failed() {
        Circuit.Rules tightest = rules(1, 1, 1.0);
        assertThat(tightest.window()).isEqualTo(1);
        assertThat(rules(5, 5, 0.5).minimumCalls()).as("as many known sends as the window holds").isEqualTo(5);
    }

    @Test
    void rules_that_could_never_judge_or_would_always_open_are_refused() {
        assertThatThrownBy(() -> rules(0, 1, 0.5)).as("an empty window").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> rules(5, 0, 0.5)).as("no known send needed").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> rules(5, 6, 0.5)).as("more known sends than the window keeps")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> rules(5, 5, 0.0)).as("no failure needed").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> rules(5, 5, 1.01)).as("more than all failed").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Circuit.Rules(5, 5, 0.5, Duration.ZERO, PROBE_WAIT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Circuit.Rules(5, 5, 0.5, OPEN_FOR, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_circuit_that_needs_every_send_to_fail_opens_on_the_first_failure_of_a_one_send_window() {
        Circuit circuit = new Circuit(rules(1, 1, 1.0));
        circuit.record(false, false, NOW);
        assertThat(circuit.status()).isEmpty();
        circuit.record(false, true, NOW);
        assertThat(circuit.status()).hasValueSatisfying(s -> assertThat(s.state()).isEqualTo(Circuit.State.OPEN));
    }

    @Test
    void a_full_window_forgets_its_oldest_outcomes_and_opens_at_exactly_the_failure_rate() {
        Circuit circuit = new Circuit(rules(4, 4, 0.5));
        for (int i = 0; i < 4; i++) {
            circuit.record(false, false, NOW);
        }
        circuit.record(false, true, NOW);
        assertThat(circuit.status()).as("one failure in the last four").isEmpty();
        circuit.record(false, true, NOW);
        assertThat(circuit.status()).as("two of the last four failed: half")
                .hasValueSatisfying(s -> assertThat(s.state()).isEqualTo(Circuit.State.OPEN));
    }

    @Test
    void its_failure_rate_is_rounded_to_four_decimals_as_every_rate_is() {
        Circuit circuit = new Circuit(rules(3, 3, 0.6));
        circuit.record(false, false, NOW);
        circuit.record(false, true, NOW);
        circuit.record(false, true, NOW);
        assertThat(circuit.status()).hasValueSatisfying(s -> assertThat(s.failureRate()).isEqualTo(0.6667));
    }
}
