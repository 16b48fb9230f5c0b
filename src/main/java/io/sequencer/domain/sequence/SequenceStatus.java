package io.sequencer.domain.sequence;

import java.util.Locale;

/** Whether a sequence sends: active sends, paused holds due steps until resumed, archived ends everyone. */
public enum SequenceStatus {
    ACTIVE,
    PAUSED,
    ARCHIVED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SequenceStatus fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
