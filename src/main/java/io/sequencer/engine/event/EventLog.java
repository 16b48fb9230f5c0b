package io.sequencer.engine.event;

import io.sequencer.domain.subscriber.TimelineEntry;
import io.sequencer.domain.subscriber.TimelinePosition;
import java.util.List;
import java.util.Optional;

/**
 * Port: the events the host reported, kept per subscriber of an account for their timeline, newest first in
 * {@link TimelinePosition} order. An event is kept once per position: appending one already there (the same
 * identity at the same time, as a retried report is) leaves one copy and fails nothing else.
 */
public interface EventLog {
    /** Stores {@code events}, all of {@code subscriberId}; a failure may leave some of them stored. */
    void append(String account, String subscriberId, List<TimelineEntry.Reported> events);

    /** Deletes every event of the subscriber; repeating it finds none. @return how many were deleted */
    int erase(String account, String subscriberId);

    /** At most {@code limit} of the subscriber's events, newest first, each listed after {@code after} when given. */
    List<TimelineEntry.Reported> read(String account, String subscriberId, Optional<TimelinePosition> after, int limit);
}
