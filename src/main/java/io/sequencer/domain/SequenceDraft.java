package io.sequencer.domain;

import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/** What the host submits to create or replace a sequence, already validated field by field. */
public record SequenceDraft(String name, List<Step> steps, ChannelConfig channel, Optional<ZoneId> timezone,
                            Optional<SendWindow> sendWindow) {
    public SequenceDraft {
        steps = List.copyOf(steps);
        if (timezone == null || sendWindow == null) {
            throw new IllegalArgumentException("timezone and sendWindow may be empty, not null");
        }
    }

    /** A draft without a zone or window of its own. */
    public SequenceDraft(String name, List<Step> steps, ChannelConfig channel) {
        this(name, steps, channel, Optional.empty(), Optional.empty());
    }
}
