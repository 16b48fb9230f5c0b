package io.sequencer.domain.timer;

import java.time.Instant;

/** What a timer message holds: one enrollment's tick, or a group of first ticks that fans out when due. */
public sealed interface Timer permits Tick, TickGroup {
    /** When the timer is due: the tick's due time, or the latest of the group's. */
    Instant dueAt();

    /** When its message should fire: a tick when due; a group a little earlier ({@link TickGroup#fireAt}). */
    Instant fireAt();
}
