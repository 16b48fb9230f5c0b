package io.sequencer.engine.event;

/**
 * What one reported event did: {@code applied} when it changed something (engagement recorded, a goal reached,
 * a wait ended, a sequence started), {@code unchanged} when it had already been applied or concerned nothing
 * stored. {@code enrollments} counts the enrollments it changed.
 */
public record EventResult(boolean applied, int enrollments) {
    static final EventResult UNCHANGED = new EventResult(false, 0);
}
