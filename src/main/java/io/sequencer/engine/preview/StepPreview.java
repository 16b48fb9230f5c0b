package io.sequencer.engine.preview;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * A step as it would go to one subscriber: the channel's type, the {@code message} its templates render, the
 * {@code request} body the channel would send (empty when the channel cannot build it without a recipient), why
 * the channel would skip it for this subscriber now, if it would ({@code skip}), and when it would fall due
 * ({@link io.sequencer.domain.sequence.NextSendTime#upcoming}), and the A/B {@code variant} (or split path) this
 * subscriber gets at the step.
 */
public record StepPreview(String sequenceId, String stepId, String subscriberId, String channel, String message,
                          Optional<String> request, Optional<String> skip, ZoneId zone, List<Instant> dueAt,
                          Optional<String> variant) {
    public StepPreview {
        dueAt = List.copyOf(dueAt);
    }

    /** The preview of a step without variants. */
    public StepPreview(String sequenceId, String stepId, String subscriberId, String channel, String message,
                       Optional<String> request, Optional<String> skip, ZoneId zone, List<Instant> dueAt) {
        this(sequenceId, stepId, subscriberId, channel, message, request, skip, zone, dueAt, Optional.empty());
    }
}
