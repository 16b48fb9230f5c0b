package io.sequencer.domain.sequence;

import io.sequencer.domain.Ids;
import io.sequencer.domain.channel.ChannelConfig;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * A stored sequence: an ordered, non-empty list of uniquely named steps sent over one channel, with an
 * optional default time zone and send window, and the rules for goals, triggers and re-entry. {@code version} counts definitions; {@code status} is changed by
 * pause, resume and archive, never by a replace.
 */
public record Sequence(
        String account,
        String id,
        String name,
        List<Step> steps,
        ChannelConfig channel,
        Optional<ZoneId> timezone,
        Optional<SendWindow> sendWindow,
        SequenceRules rules,
        SequenceStatus status,
        long version,
        Instant createdAt,
        Instant updatedAt) {

    public static final int MAX_STEPS = 100;

    public Sequence {
        Ids.require("account", account);
        Ids.require("sequenceId", id);
        steps = List.copyOf(steps);
        if (steps.isEmpty() || steps.size() > MAX_STEPS) {
            throw new IllegalArgumentException("a sequence has 1 to " + MAX_STEPS + " steps");
        }
        if (new HashSet<>(steps.stream().map(Step::id).toList()).size() != steps.size()) {
            throw new IllegalArgumentException("step ids must be unique");
        }
        if (channel == null || timezone == null || sendWindow == null || rules == null || status == null || version < 1) {
            throw new IllegalArgumentException("channel, timezone, sendWindow, rules, status and a positive version are required");
        }
    }

    /** A new sequence, version 1, active. */
    public static Sequence create(String account, String id, SequenceDraft draft, Instant now) {
        return new Sequence(account, id, draft.name(), draft.steps(), draft.channel(), draft.timezone(),
                draft.sendWindow(), draft.rules(), SequenceStatus.ACTIVE, 1, now, now);
    }

    /** The next version with {@code draft}'s definition; the status stays as it is. */
    public Sequence replacedBy(SequenceDraft draft, Instant now) {
        return new Sequence(account, id, draft.name(), draft.steps(), draft.channel(), draft.timezone(),
                draft.sendWindow(), draft.rules(), status, version + 1, createdAt, now);
    }

    public Sequence withStatus(SequenceStatus newStatus, Instant now) {
        return new Sequence(account, id, name, steps, channel, timezone, sendWindow, rules, newStatus, version, createdAt,
                now);
    }

    public Step step(int index) {
        return steps.get(index);
    }

    /** The step after {@code index} in order, or empty after the last. */
    public Optional<Integer> after(int index) {
        return index + 1 < steps.size() ? Optional.of(index + 1) : Optional.empty();
    }

    public Optional<Integer> indexOf(String stepId) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).id().equals(stepId)) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /** True when the user-visible definition (name, steps, channel) is the same as {@code draft}'s. */
    public boolean sameDefinitionAs(SequenceDraft draft) {
        return name.equals(draft.name()) && steps.equals(draft.steps()) && channel.equals(draft.channel())
                && timezone.equals(draft.timezone()) && sendWindow.equals(draft.sendWindow()) && rules.equals(draft.rules());
    }
}
