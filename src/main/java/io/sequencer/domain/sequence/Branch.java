package io.sequencer.domain.sequence;

import io.sequencer.domain.Ids;

/** "When {@code when} holds as this step falls due, jump to step {@code goTo} instead of sending this one." */
public record Branch(Condition when, String goTo) {
    public Branch {
        if (when == null) {
            throw new IllegalArgumentException("a branch needs a condition");
        }
        Ids.require("goTo", goTo);
    }
}
