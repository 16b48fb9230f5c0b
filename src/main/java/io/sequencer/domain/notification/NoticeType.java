package io.sequencer.domain.notification;

import java.util.Optional;

/** The lifecycle events Sequencer tells the host about. */
public enum NoticeType {
    ENROLLMENT_STARTED("enrollment.started"),
    ENROLLMENT_COMPLETED("enrollment.completed"),
    ENROLLMENT_LEFT("enrollment.left"),
    STEP_SENT("step.sent"),
    STEP_FAILED("step.failed"),
    STEP_SKIPPED("step.skipped");

    private final String wireName;

    NoticeType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<NoticeType> fromWireName(String name) {
        for (NoticeType type : values()) {
            if (type.wireName.equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
