package io.sequencer.domain.sequence;

import java.util.List;

/**
 * How a sequence reacts beyond its steps: who may enter again, which events end it for a subscriber (goals),
 * which sequences follow it, whether new subscribers of the account start it (a welcome sequence), and the per
 * cent of enrollments {@code holdout} keeps as a control group that is enrolled but sent nothing.
 */
public record SequenceRules(ReentryPolicy reentry, List<EventMatch> exitWhen, List<Trigger> then,
                            boolean enrollOnSubscribed, int holdout) {
    /** The largest holdout: beyond half, the control group would be the sequence's main audience. */
    public static final int MAX_HOLDOUT = 50;
    public static final int MAX_GOALS = 20;
    public static final int MAX_TRIGGERS = 20;
    public static final SequenceRules NONE = new SequenceRules(ReentryPolicy.NEVER, List.of(), List.of(), false, 0);

    public SequenceRules {
        if (reentry == null) {
            throw new IllegalArgumentException("reentry is required");
        }
        exitWhen = List.copyOf(exitWhen);
        then = List.copyOf(then);
        if (exitWhen.size() > MAX_GOALS || then.size() > MAX_TRIGGERS) {
            throw new IllegalArgumentException("at most " + MAX_GOALS + " goals and " + MAX_TRIGGERS + " triggers");
        }
        if (holdout < 0 || holdout > MAX_HOLDOUT) {
            throw new IllegalArgumentException("a holdout is 0 to " + MAX_HOLDOUT + " per cent");
        }
    }

    /** Rules without a holdout. */
    public SequenceRules(ReentryPolicy reentry, List<EventMatch> exitWhen, List<Trigger> then,
                         boolean enrollOnSubscribed) {
        this(reentry, exitWhen, then, enrollOnSubscribed, 0);
    }

    public SequenceRules withReentry(ReentryPolicy policy) {
        return new SequenceRules(policy, exitWhen, then, enrollOnSubscribed, holdout);
    }
}
