package io.sequencer.engine.job;

import io.sequencer.domain.Ids;
import io.sequencer.domain.Invalid;
import io.sequencer.engine.enrollment.EnrollmentFilter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * What a bulk job was asked to do: {@code action} on the enrollments of {@code sequenceId} that {@code selection}
 * names, moving them to {@code toStepId} for a move.
 */
public record JobRequest(String sequenceId, BulkAction action, Optional<String> toStepId, Selection selection) {
    /** The most subscriber ids one request may list; more are selected by a filter. */
    public static final int MAX_IDS = 1_000;

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

    /** Listed subscriber ids, each once, in the order given. */
    public record Listed(List<String> subscriberIds) implements Selection {
        public Listed {
            if (subscriberIds.isEmpty()) {
                throw new Invalid("subscriberIds", "must list at least one subscriber");
            }
            if (subscriberIds.size() > MAX_IDS) {
                throw new Invalid("subscriberIds", "may list at most " + MAX_IDS + " subscribers; select more with a filter");
            }
            for (int i = 0; i < subscriberIds.size(); i++) {
                Ids.require("subscriberIds[" + i + "]", subscriberIds.get(i));
            }
            subscriberIds = List.copyOf(new ArrayList<>(new LinkedHashSet<>(subscriberIds)));
        }
    }

    /** The enrollments the filter matches (as in the listing: status and step waited for). */
    public record Filtered(EnrollmentFilter filter) implements Selection {}
}
