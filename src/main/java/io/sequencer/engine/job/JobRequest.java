package io.sequencer.engine.job;

import io.sequencer.domain.Ids;
import io.sequencer.domain.Invalid;
import io.sequencer.engine.enrollment.EnrollmentFilter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a bulk job was asked to do: {@code action} on the enrollments of {@code sequenceId} that {@code selection}
 * names, moving them to {@code toStepId} for a move.
 */
public record JobRequest(String sequenceId, BulkAction action, Optional<String> toStepId, Selection selection) {
    /** The most subscriber ids one request may list; more are selected by a filter. */
    public static final int MAX_IDS = 1_000;
    /**
     * What takes an erased subscriber's place in a job's lists: not an id ({@link Ids} allows no parentheses), so
     * no request can name it, and positions are kept, so a running job's paging skips no one.
     */
    public static final String ERASED = "(erased)";

    public JobRequest {
        Ids.require("sequenceId", sequenceId);
        if (action == BulkAction.MOVE) {
            Ids.require("toStepId", toStepId.orElseThrow(() -> new Invalid("toStepId", "is required to move")));
        } else if (toStepId.isPresent()) {
            throw new Invalid("toStepId", "is only for a move");
        }
    }

    /** Which enrollments a job acts on: the ones listed, or every one a filter matches, in subscriber-id order. */
    public sealed interface Selection permits Listed, Filtered {}

    /** Listed subscriber ids, each once, in the order given; an erased one is {@link #ERASED}, kept in place. */
    public record Listed(List<String> subscriberIds) implements Selection {
        public Listed {
            if (subscriberIds.isEmpty()) {
                throw new Invalid("subscriberIds", "must list at least one subscriber");
            }
            if (subscriberIds.size() > MAX_IDS) {
                throw new Invalid("subscriberIds", "may list at most " + MAX_IDS + " subscribers; select more with a filter");
            }
            Set<String> seen = new LinkedHashSet<>();
            List<String> kept = new ArrayList<>();
            for (int i = 0; i < subscriberIds.size(); i++) {
                String id = subscriberIds.get(i);
                if (id.equals(ERASED)) {
                    kept.add(id);
                } else if (seen.add(Ids.require("subscriberIds[" + i + "]", id))) {
                    kept.add(id);
                }
            }
            subscriberIds = List.copyOf(kept);
        }

        /** These ids with {@code subscriberId}'s place, wherever it is, taken by {@link #ERASED}. */
        public Listed erasing(String subscriberId) {
            return new Listed(subscriberIds.stream().map(id -> id.equals(subscriberId) ? ERASED : id).toList());
        }
    }

    /** The enrollments the filter matches (as in the listing: status and step waited for). */
    public record Filtered(EnrollmentFilter filter) implements Selection {}
}
