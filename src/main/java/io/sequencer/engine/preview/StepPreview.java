package io.sequencer.engine.preview;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * A step as it would go to one subscriber: the channel's type, the {@code message} its templates render, the
 * {@code request} body the channel would send (empty when the channel cannot build it without a recipient), why
 * the channel would skip it for this subscriber now, if it would ({@code skip}), and when it would fall due
 * ({@link io.sequencer.domain.sequence.NextSendTime#upcoming}).
 */
public record StepPreview(String sequenceId, String stepId, String subscriberId, String channel, String message,
                          Optional<String> request, Optional<String> skip, ZoneId zone, List<Instant> dueAt) {
    public StepPreview {
        dueAt = List.copyOf(dueAt);
    }
}
