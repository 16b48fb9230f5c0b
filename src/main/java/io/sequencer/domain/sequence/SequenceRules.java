package io.sequencer.domain.sequence;

import java.util.List;

/**
 * How a sequence reacts beyond its steps: who may enter again, which events end it for a subscriber (goals),
 * which sequences follow it, and whether new subscribers of the account start it (a welcome sequence).
 */
public record SequenceRules(ReentryPolicy reentry, List<EventMatch> exitWhen, List<Trigger> then,
                            boolean enrollOnSubscribed) {
    public static final int MAX_GOALS = 20;
    public static final int MAX_TRIGGERS = 20;
    public static final SequenceRules NONE = new SequenceRules(ReentryPolicy.NEVER, List.of(), List.of(), false);

    public SequenceRules {
        if (reentry == null) {
            throw new IllegalArgumentException("reentry is required");
        }
        exitWhen = List.copyOf(exitWhen);
        then = List.copyOf(then);
        if (exitWhen.size() > MAX_GOALS || then.size() > MAX_TRIGGERS) {
            throw new IllegalArgumentException("at most " + MAX_GOALS + " goals and " + MAX_TRIGGERS + " triggers");
        }
    }

    public SequenceRules withReentry(ReentryPolicy policy) {
        return new SequenceRules(policy, exitWhen, then, enrollOnSubscribed);
    }
}
