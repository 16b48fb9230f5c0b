package io.sequencer.engine.subscriber;

import io.sequencer.domain.subscriber.TimelineEntry;
import java.util.List;
import java.util.Optional;

/** One page of a subscriber's timeline, newest first, and the token of the next page (empty on the last). */
public record TimelinePage(List<TimelineEntry> entries, Optional<String> continuation) {
    public TimelinePage {
        entries = List.copyOf(entries);
    }
}
