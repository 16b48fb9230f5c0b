package io.sequencer.domain.report;

import java.util.Optional;

/**
 * A share of a whole as every report gives it: rounded half up to 4 decimals (1 of 3 is 0.3333), so the same
 * figure reads the same in a sequence's and a broadcast's report; empty when the whole is 0.
 */
public final class Rates {
    private static final double SCALE = 10_000.0;

    private Rates() {}

    public static Optional<Double> of(long part, long whole) {
        return whole == 0 ? Optional.empty() : Optional.of(Math.round(SCALE * part / whole) / SCALE);
    }
}
