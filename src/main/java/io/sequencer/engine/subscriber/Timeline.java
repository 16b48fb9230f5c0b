package io.sequencer.engine.subscriber;

import io.sequencer.domain.FieldError;
import io.sequencer.domain.Ids;
import io.sequencer.domain.Invalid;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.subscriber.Subscriber;
import io.sequencer.domain.subscriber.TimelineEntry;
import io.sequencer.domain.subscriber.TimelinePosition;
import io.sequencer.engine.NotFound;
import io.sequencer.engine.Stored;
import io.sequencer.engine.enrollment.EnrollmentStore;
import io.sequencer.engine.event.EventLog;
import io.sequencer.engine.tick.DeferredSteps;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * A subscriber's timeline across all the account's sequences, newest first, a page at a time.
 *
 * <p>Enrollment entries (start, steps, end) are read off the stored enrollment of every sequence the profile
 * lists, so the tick path writes nothing for the timeline; reported events come from the {@link EventLog}. A
 * page is the newest {@code limit} entries of both that come after the token's position. Any event beyond the
 * first {@code limit} after that position is older than all of those, so reading {@code limit} rows of the log
 * is enough, and only {@code limit} entries are held at a time. A page costs one profile read, one enrollment
 * read per sequence listed (at most {@link Subscriber#MAX_SEQUENCES}) and one event query, however long the
 * subscriber's history.
 */
public final class Timeline {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;

    private final SubscriberStore subscribers;
    private final EnrollmentStore enrollments;
    private final EventLog events;
    private final DeferredSteps deferred;

    public Timeline(SubscriberStore subscribers, EnrollmentStore enrollments, EventLog events) {
        this(subscribers, enrollments, events, new DeferredSteps());
    }

    /** With the steps this instance put off for an open circuit, each listed as a {@link TimelineEntry.Deferred}. */
    public Timeline(SubscriberStore subscribers, EnrollmentStore enrollments, EventLog events, DeferredSteps deferred) {
        this.subscribers = subscribers;
        this.enrollments = enrollments;
        this.events = events;
        this.deferred = deferred;
    }

    /**
     * The page after {@code continuation} (the first page when empty).
     * @throws Invalid naming {@code limit} (not 1 to {@link #MAX_LIMIT}) or {@code continuation} (not a token of ours)
     * @throws NotFound when the account has no such subscriber
     */
    public TimelinePage page(String account, String subscriberId, int limit, Optional<String> continuation) {
        Ids.require("account", account);
        Ids.require("subscriberId", subscriberId);
        List<FieldError> errors = new ArrayList<>();
        if (limit < 1 || limit > MAX_LIMIT) {
            errors.add(new FieldError("limit", "must be a whole number from 1 to " + MAX_LIMIT));
        }
        Optional<TimelinePosition> after = Optional.empty();
        try {
            after = continuation.map(TimelinePosition::fromToken);
        } catch (Invalid badToken) {
            errors.addAll(badToken.errors());
        }
        if (!errors.isEmpty()) {
            throw new Invalid(errors);
        }
        Subscriber profile = subscribers.find(account, subscriberId).map(Stored::value)
                .orElseThrow(() -> new NotFound("subscriber " + subscriberId));
        FirstInOrder page = new FirstInOrder(limit, after);
        for (String sequenceId : profile.sequences()) {
            enrollments.find(new EnrollmentKey(account, sequenceId, subscriberId))
                    .ifPresent(stored -> {
                        TimelineEntry.of(stored.value()).forEach(page::offer);
                        deferred.of(stored.value()).ifPresent(step -> page.offer(new TimelineEntry.Deferred(sequenceId, step)));
                    });
        }
        List<TimelineEntry.Reported> logged = events.read(account, subscriberId, after, limit);
        logged.forEach(page::offer);
        List<TimelineEntry> entries = page.inOrder();
        // More may follow when an entry did not fit, or when the log had as many rows as were asked for.
        boolean more = page.leftOut() || logged.size() == limit;
        return new TimelinePage(entries, more && !entries.isEmpty()
                ? Optional.of(entries.get(entries.size() - 1).position().token()) : Optional.empty());
    }

    /** The first {@code limit} entries, in timeline order, of those offered that come after {@code after}. */
    private static final class FirstInOrder {
        private record Positioned(TimelinePosition position, TimelineEntry entry) {}

        private static final Comparator<Positioned> ORDER = Comparator.comparing(Positioned::position);

        private final int limit;
        private final Optional<TimelinePosition> after;
        /** The last of the kept entries at its head, so the one to drop is always at hand. */
        private final PriorityQueue<Positioned> kept;
        private boolean leftOut;

        FirstInOrder(int limit, Optional<TimelinePosition> after) {
            this.limit = limit;
            this.after = after;
            this.kept = new PriorityQueue<>(limit + 1, ORDER.reversed());
        }

        void offer(TimelineEntry entry) {
            TimelinePosition position = entry.position();
            if (after.isPresent() && !position.comesAfter(after.get())) {
                return;
            }
            kept.add(new Positioned(position, entry));
            if (kept.size() > limit) {
                kept.poll();
                leftOut = true;
            }
        }

        boolean leftOut() {
            return leftOut;
        }

        List<TimelineEntry> inOrder() {
            return kept.stream().sorted(ORDER).map(Positioned::entry).toList();
        }
    }
}
