package io.sequencer.domain;

import java.util.List;

/** What the host submits to create or replace a sequence, already validated field by field. */
public record SequenceDraft(String name, List<Step> steps, ChannelConfig channel) {
    public SequenceDraft {
        steps = List.copyOf(steps);
    }
}
