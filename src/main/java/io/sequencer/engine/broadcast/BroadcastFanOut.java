package io.sequencer.engine.broadcast;

import io.sequencer.domain.Invalid;
import io.sequencer.domain.broadcast.AudienceMember;
import io.sequencer.domain.broadcast.Broadcast;
import io.sequencer.domain.broadcast.BroadcastTime;
import io.sequencer.domain.broadcast.FanOutCursor;
import io.sequencer.domain.broadcast.FanOutPage;
import io.sequencer.domain.broadcast.Recipient;
import io.sequencer.domain.broadcast.SendChunk;
import io.sequencer.domain.subscriber.Subscriber;
import io.sequencer.engine.Conflict;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import io.sequencer.engine.subscriber.SubscriberStore;
import io.sequencer.engine.subscriber.Subscribers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Expands a broadcast's audience into send messages, one page per queue message, so that no execution holds more
 * than a page and an audience of millions is a chain of short ones.
 *
 * <p>Each page stores its recipients (as pending, counted as audience once however often the page runs), queues a
 * send message per {@link SendChunk#MAX} recipients due at the same time, queues the next page, and only then
 * commits the cursor. A crash anywhere repeats the page: its recipients are already stored and keep their state,
 * and the send messages it queues again find them claimed or settled, so nobody is sent the message twice.
 */
public final class BroadcastFanOut {
    private static final int MAX_RACES = 5;

    private final BroadcastStore store;
    private final SubscriberStore subscribers;
    private final Subscribers profiles;
    private final BroadcastQueue queue;
    private final Clock clock;

    public BroadcastFanOut(BroadcastStore store, SubscriberStore subscribers, Subscribers profiles, BroadcastQueue queue,
                           Clock clock) {
        this.store = store;
        this.subscribers = subscribers;
        this.profiles = profiles;
        this.queue = queue;
        this.clock = clock;
    }

    /** What handling one page message did. */
    public sealed interface Outcome {
        /** The page was fanned out: {@code recipients} found, {@code added} of them new to the audience. */
        record Done(int page, int recipients, int added, boolean last) implements Outcome {}

        /** Not yet: the message comes back at {@code at}. */
        record Later(String reason, Instant at) implements Outcome {}

        /** Nothing to do (cancelled, unknown, or a stale copy). */
        record Dropped(String reason) implements Outcome {}
    }

    public Outcome handle(FanOutPage message) {
        Optional<Stored<Broadcast>> found = store.find(message.account(), message.broadcastId());
        Instant now = clock.instant();
        if (found.isEmpty()) {
            // The first page is queued before the broadcast is stored: its write may not have landed yet.
            return waitOrDrop(message, now, "the broadcast to be stored", "no such broadcast");
        }
        Broadcast broadcast = found.get().value();
        FanOutCursor cursor = broadcast.fanOut();
        if (broadcast.cancelled()) {
            return new Outcome.Dropped("cancelled");
        }
        if (cursor.done() || message.page() < cursor.page()) {
            return new Outcome.Dropped("page " + message.page() + " was fanned out already");
        }
        if (message.page() > cursor.page()) {
            // Queued by a page whose commit has not landed (or never will: its retry queues this page again).
            return waitOrDrop(message, now, "page " + cursor.page() + " to commit",
                    "page " + cursor.page() + " did not commit; its retry queues the next page");
        }
        if (now.isBefore(broadcast.fanOutAt())) {
            queue.fanOut(message, broadcast.fanOutAt());
            return new Outcome.Later("fans out from " + broadcast.fanOutAt(), broadcast.fanOutAt());
        }
        List<Recipient> recipients = new ArrayList<>();
        Optional<String> lastTaken = Optional.empty();
        if (cursor.phase() == FanOutCursor.Phase.LISTED) {
            for (AudienceMember member : store.listedPage(broadcast.account(), broadcast.id(), cursor.page())) {
                recipients.add(listed(broadcast, member));
            }
        } else {
            List<Subscriber> page = subscribers.page(broadcast.account(), cursor.after(), Broadcast.ACCOUNT_PAGE);
            for (Subscriber subscriber : page) {
                if (broadcast.audience().takes(subscriber.attributes())) {
                    recipients.add(recipient(broadcast, subscriber.id(), subscriber.timezone()));
                }
            }
            if (page.size() == Broadcast.ACCOUNT_PAGE) {
                lastTaken = Optional.of(page.get(page.size() - 1).id());
            }
        }
        int added = recipients.isEmpty() ? 0 : store.addRecipients(broadcast.account(), broadcast.id(), recipients);
        queueSends(broadcast, recipients);
        FanOutCursor next = cursor.next(broadcast.listedPages(), broadcast.audience().scansAccount(), lastTaken, now);
        if (!next.done()) {
            queue.fanOut(new FanOutPage(broadcast.account(), broadcast.id(), next.page(), 0), now);
        }
        return commit(found.get(), message, next, recipients.size(), added);
    }

    /**
     * Page {@code message} failed every attempt the queue allows ({@code error} says why): records it on the broadcast,
     * which then shows the fan-out as failed with that error; repeating the broadcast's PUT resumes it at that page.
     * Best effort: when storage is what fails, this fails too. @return whether it was recorded
     */
    public boolean recordFailure(FanOutPage message, String error) {
        for (int race = 0; race < MAX_RACES; race++) {
            Optional<Stored<Broadcast>> found = store.find(message.account(), message.broadcastId());
            if (found.isEmpty() || found.get().value().fanOut().page() != message.page()
                    || found.get().value().fanOut().done()) {
                return false;
            }
            Broadcast broadcast = found.get().value();
            try {
                store.replace(broadcast.withFanOut(broadcast.fanOut().failed(error)), found.get().etag());
                return true;
            } catch (StaleWrite moved) {
                // a cancel or the page's own late commit: look again
            }
        }
        return false;
    }

    /** Comes back later (with back-off, at most {@link FanOutPage#MAX_WAITS} times) for what it waits for. */
    private Outcome waitOrDrop(FanOutPage message, Instant now, String waitingFor, String givenUp) {
        if (message.waits() >= FanOutPage.MAX_WAITS) {
            return new Outcome.Dropped(givenUp);
        }
        Instant at = now.plus(Duration.ofSeconds(1L << Math.min(message.waits(), 6)));
        queue.fanOut(message.waitedOnce(), at);
        return new Outcome.Later("waiting for " + waitingFor, at);
    }

    /**
     * A listed subscriber: their profile values stored first, their zone from the list or else their profile. Values
     * the profile cannot take (too many attributes with those stored) are not stored; the subscriber still gets it.
     */
    private Recipient listed(Broadcast broadcast, AudienceMember member) {
        Optional<ZoneId> zone = member.timezone();
        if (member.changesProfile()) {
            try {
                Optional<ZoneId> stored = profiles.absorb(broadcast.account(), member.subscriberId(), member.attributes(),
                        member.timezone()).timezone();
                zone = zone.or(() -> stored);
            } catch (Invalid refused) {
                zone = zone.or(() -> subscribers.find(broadcast.account(), member.subscriberId())
                        .flatMap(s -> s.value().timezone()));
            }
        } else if (zone.isEmpty() && broadcast.sendTime() instanceof BroadcastTime.Local) {
            zone = subscribers.find(broadcast.account(), member.subscriberId()).flatMap(s -> s.value().timezone());
        }
        return recipient(broadcast, member.subscriberId(), zone);
    }

    private static Recipient recipient(Broadcast broadcast, String subscriberId, Optional<ZoneId> zone) {
        return Recipient.pending(broadcast.account(), broadcast.id(), subscriberId, broadcast.sendTime().dueFor(zone));
    }

    /** One send message per {@link SendChunk#MAX} recipients due at the same instant. */
    private void queueSends(Broadcast broadcast, List<Recipient> recipients) {
        Map<Instant, List<String>> byDue = new TreeMap<>();
        for (Recipient r : recipients) {
            byDue.computeIfAbsent(r.dueAt(), at -> new ArrayList<>()).add(r.subscriberId());
        }
        byDue.forEach((dueAt, ids) -> {
            for (int from = 0; from < ids.size(); from += SendChunk.MAX) {
                List<String> chunk = ids.subList(from, Math.min(ids.size(), from + SendChunk.MAX));
                queue.send(new SendChunk(broadcast.account(), broadcast.id(), dueAt, chunk), dueAt);
            }
        });
    }

    private Outcome commit(Stored<Broadcast> read, FanOutPage message, FanOutCursor next, int recipients, int added) {
        Stored<Broadcast> base = read;
        for (int race = 0; race < MAX_RACES; race++) {
            try {
                store.replace(base.value().withFanOut(next), base.etag());
                return new Outcome.Done(message.page(), recipients, added, next.done());
            } catch (StaleWrite moved) {
                Optional<Stored<Broadcast>> again = store.find(message.account(), message.broadcastId());
                if (again.isEmpty() || again.get().value().cancelled()) {
                    return new Outcome.Dropped("cancelled while fanning out page " + message.page());
                }
                if (again.get().value().fanOut().page() != message.page()) {
                    return new Outcome.Dropped("another copy of page " + message.page() + " committed first");
                }
                base = again.get();
            }
        }
        throw new Conflict("broadcast " + message.broadcastId() + " keeps changing; the page will be retried");
    }
}
