package io.sequencer.domain.enrollment;

import java.util.Optional;

/**
 * Why an enrollment started: by the host ({@link #HOST}) or by a trigger of another sequence. {@code cause}
 * names the triggering fact, so a retried trigger recognises its own enrollment; {@code depth} counts triggers
 * in a chain, so sequences that enroll each other cannot spin for ever. {@code data} is what the host gave with the
 * enroll (a trigger passes the data of the enrollment it fired from on to the one it starts), {@code event} the
 * event that fired an event trigger; both are there for the messages' templates.
 */
public record Origin(Optional<String> cause, int depth, EnrollmentData data, Optional<StartEvent> event) {
    public static final int MAX_DEPTH = 10;
    public static final int MAX_CAUSE = 512;
    public static final Origin HOST = new Origin(Optional.empty(), 0);

    public Origin {
        if (cause == null || depth < 0 || cause.map(String::length).orElse(0) > MAX_CAUSE) {
            throw new IllegalArgumentException("cause may be empty (at most " + MAX_CAUSE + " chars); depth >= 0");
        }
        if (data == null || event == null) {
            throw new IllegalArgumentException("data and event may be empty, not null");
        }
    }

    /** An origin without data or a starting event. */
    public Origin(Optional<String> cause, int depth) {
        this(cause, depth, EnrollmentData.NONE, Optional.empty());
    }

    /** The host enrolls with {@code data}. */
    public static Origin host(EnrollmentData data) {
        return new Origin(Optional.empty(), 0, data, Optional.empty());
    }

    /** The origin of an enrollment that {@code cause} starts from an enrollment of this origin. */
    public Origin next(String nextCause) {
        return new Origin(Optional.of(nextCause), depth + 1, data, Optional.empty());
    }

    /** As {@link #next(String)}, started by {@code startedBy} (an event trigger). */
    public Origin next(String nextCause, Optional<StartEvent> startedBy) {
        return new Origin(Optional.of(nextCause), depth + 1, data, startedBy);
    }

    public boolean sameCauseAs(Origin other) {
        return cause.isPresent() && cause.equals(other.cause);
    }
}
