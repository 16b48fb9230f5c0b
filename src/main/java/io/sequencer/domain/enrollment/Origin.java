package io.sequencer.domain.enrollment;

import java.util.Optional;

/**
 * Why an enrollment started: by the host ({@link #HOST}) or by a trigger of another sequence. {@code cause}
 * names the triggering fact, so a retried trigger recognises its own enrollment; {@code depth} counts triggers
 * in a chain, so sequences that enroll each other cannot spin for ever.
 */
public record Origin(Optional<String> cause, int depth) {
    public static final int MAX_DEPTH = 10;
    public static final int MAX_CAUSE = 512;
    public static final Origin HOST = new Origin(Optional.empty(), 0);

    public Origin {
        if (cause == null || depth < 0 || cause.map(String::length).orElse(0) > MAX_CAUSE) {
            throw new IllegalArgumentException("cause may be empty (at most " + MAX_CAUSE + " chars); depth >= 0");
        }
    }

    /** The origin of an enrollment that {@code cause} starts from an enrollment of this origin. */
    public Origin next(String nextCause) {
        return new Origin(Optional.of(nextCause), depth + 1);
    }

    public boolean sameCauseAs(Origin other) {
        return cause.isPresent() && cause.equals(other.cause);
    }
}
