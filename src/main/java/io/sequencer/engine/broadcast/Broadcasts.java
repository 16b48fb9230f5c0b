package io.sequencer.engine.broadcast;

import io.sequencer.domain.Ids;
import io.sequencer.domain.Invalid;
import io.sequencer.domain.broadcast.Audience;
import io.sequencer.domain.broadcast.Broadcast;
import io.sequencer.domain.broadcast.BroadcastReport;
import io.sequencer.domain.broadcast.BroadcastStatus;
import io.sequencer.domain.broadcast.BroadcastTime;
import io.sequencer.domain.broadcast.FanOutPage;
import io.sequencer.domain.broadcast.Recipient;
import io.sequencer.domain.report.Tally;
import io.sequencer.domain.subscriber.Engagement;
import io.sequencer.engine.AlreadyExists;
import io.sequencer.engine.Conflict;
import io.sequencer.engine.NotFound;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Use cases on broadcasts: schedule one (the fan-out then runs in the background, see {@link BroadcastFanOut}),
 * read where it stands, cancel it, and count the subscribers' engagement with it.
 *
 * <p>A cancel answers at once and takes full effect when the senders have stopped. It marks the broadcast
 * ({@code cancelling}); from then on no sender starts on it. A sender records its lease before it reads the
 * broadcast and never starts a send after its lease (minus the longest a send takes) has run out, so once the mark
 * is stored and no lease is live, nobody receives the broadcast any more. Whoever first sees that (the cancel
 * itself, a repeated cancel or a read) records it, and the broadcast is {@code cancelled} for good: a sender that
 * opens a lease later sees the mark and sends nothing, so it cannot turn it back (see {@link BroadcastSender}).
 * Nothing waits inside a request: a caller that must know no copy is still on its way reads the broadcast until it
 * says {@code cancelled}.
 */
public final class Broadcasts {
    /** A send time this far in the past is still taken (the clocks of caller and service differ a little). */
    static final Duration PAST_TOLERANCE = Duration.ofMinutes(1);
    /** How long after its time a fan-out that has not started is taken as lost, and a repeated PUT queues it again. */
    static final Duration FAN_OUT_OVERDUE = Duration.ofMinutes(5);
    private static final int MAX_RACES = 5;

    private final BroadcastStore store;
    private final BroadcastQueue queue;
    private final Clock clock;

    public Broadcasts(BroadcastStore store, BroadcastQueue queue, Clock clock) {
        this.store = store;
        this.queue = queue;
        this.clock = clock;
    }

    /** A scheduled broadcast and whether this request created it (false: a repeat of the same request). */
    public record Scheduled(BroadcastReport report, boolean created) {}

    /**
     * Schedules the broadcast and answers at once. Repeating the same request changes nothing; another definition
     * under the same id is refused (cancel it and schedule a new one).
     *
     * @throws Invalid when the send time is past or too far ahead
     * @throws Conflict when the id is taken by another definition
     */
    public Scheduled schedule(String account, String broadcastId, BroadcastRequest request) {
        Ids.require("account", account);
        Ids.require("broadcastId", broadcastId);
        Instant now = clock.instant();
        checkSendTime(request.sendTime(), now);
        Audience audience;
        try {
            audience = Audience.of(request.listed(), request.everyone(), request.match());
        } catch (IllegalArgumentException e) {
            throw new Invalid("audience", e.getMessage());
        }
        Broadcast broadcast = Broadcast.schedule(account, broadcastId, request.sendTime(), request.channel(),
                request.message(), request.tag(), audience, now, request.exempt())
                .withMarketingMessage(request.marketingMessage()).withRoute(request.route());
        Optional<Scheduled> repeat = repeatOf(broadcast);
        if (repeat.isPresent()) {
            return repeat.get();
        }
        // The first page is queued before the broadcast is stored: a crash in between leaves a page message that
        // finds no broadcast and is dropped, never a broadcast that nothing fans out.
        Instant fanOutAt = broadcast.fanOutAt().isAfter(now) ? broadcast.fanOutAt() : now;
        queue.fanOut(new FanOutPage(account, broadcastId, 0, 0), fanOutAt);
        try {
            store.create(broadcast, request.listed());
        } catch (AlreadyExists raced) {
            return repeatOf(broadcast).orElseThrow(() -> new Conflict("broadcast " + broadcastId + " was just scheduled "
                    + "with another definition"));
        }
        // Nothing is counted before the fan-out starts: no need to read the tally rows.
        return new Scheduled(BroadcastReport.of(broadcast, Tally.EMPTY, now), true);
    }

    private Optional<Scheduled> repeatOf(Broadcast requested) {
        return store.find(requested.account(), requested.id()).map(Stored::value).map(existing -> {
            if (!existing.sameRequestAs(requested)) {
                throw new Conflict("broadcast " + requested.id() + " exists with another definition; cancel it and "
                        + "schedule the new one under another id");
            }
            Instant now = clock.instant();
            boolean lost = !existing.fanOut().started() && existing.fanOutAt().plus(FAN_OUT_OVERDUE).isBefore(now);
            if (!existing.cancelled() && !existing.fanOut().done() && (lost || existing.fanOut().failure().isPresent())) {
                // Its page should have run by now, or failed every attempt: queue it again (a duplicate is harmless).
                queue.fanOut(new FanOutPage(existing.account(), existing.id(), existing.fanOut().page(), 0), now);
            }
            return new Scheduled(report(existing), false);
        });
    }

    private static void checkSendTime(BroadcastTime time, Instant now) {
        String field = time instanceof BroadcastTime.Local ? "sendAtLocal" : "sendAt";
        if (time.latest().isBefore(now.minus(PAST_TOLERANCE))) {
            throw new Invalid(field, "is in the past");
        }
        if (time.earliest().isAfter(now.plus(Broadcast.MAX_AHEAD))) {
            throw new Invalid(field, "must be within " + Broadcast.MAX_AHEAD.toDays() + " days");
        }
    }

    /** The broadcast with its status and figures (recording a cancel that has taken effect). @throws NotFound */
    public BroadcastReport get(String account, String broadcastId) {
        return report(settled(find(account, broadcastId)));
    }

    /**
     * Cancels the broadcast without waiting: its status is {@code cancelled} when no sender is at work on it any
     * more, else {@code cancelling} until a later read finds them stopped. Repeating it is harmless.
     * @throws Conflict when everyone has already been sent it
     */
    public BroadcastReport cancel(String account, String broadcastId) {
        for (int race = 0; race < MAX_RACES; race++) {
            Stored<Broadcast> stored = find(account, broadcastId);
            Broadcast broadcast = stored.value();
            if (broadcast.cancelled()) {
                return report(settled(stored));
            }
            if (report(broadcast).status() == BroadcastStatus.SENT) {
                throw new Conflict("broadcast " + broadcastId + " has been sent to its whole audience");
            }
            try {
                store.replace(broadcast.cancel(clock.instant()), stored.etag());
            } catch (StaleWrite moved) {
                continue;
            }
            // The mark is stored: the leases read from now on are every sender that may still send.
            return report(settled(find(account, broadcastId)));
        }
        throw new Conflict("broadcast " + broadcastId + " keeps changing; try again");
    }

    /**
     * The broadcast, with its cancel recorded as taken effect when it is cancelling and no sender lease is live.
     * The leases are read after the broadcast, so after its mark: a sender missing from them reads the mark.
     */
    private Broadcast settled(Stored<Broadcast> stored) {
        Stored<Broadcast> current = stored;
        for (int race = 0; race < MAX_RACES; race++) {
            Broadcast broadcast = current.value();
            if (!broadcast.cancelled() || broadcast.sendersStoppedAt().isPresent()
                    || sendersAtWork(store, broadcast.account(), broadcast.id(), clock.instant())) {
                return broadcast;
            }
            Broadcast stopped = broadcast.sendersStopped(clock.instant());
            try {
                store.replace(stopped, current.etag());
                return stopped;
            } catch (StaleWrite moved) {
                current = find(broadcast.account(), broadcast.id()); // the fan-out moved on: record it on what is there
            }
        }
        return current.value(); // still cancelling; the next read records it
    }

    /**
     * Whether a sender lease of the broadcast is still live. A lease outlives its last send (see
     * {@link BroadcastSender#SEND_ALLOWANCE}), so when none is, no send is under way.
     */
    public static boolean sendersAtWork(BroadcastStore store, String account, String broadcastId, Instant now) {
        return store.leases(account, broadcastId).stream().anyMatch(until -> until.isAfter(now));
    }

    private BroadcastReport report(Broadcast broadcast) {
        return BroadcastReport.of(broadcast, store.tally(broadcast.account(), broadcast.id()), clock.instant());
    }

    /** What the host reported about one subscriber's copy of a broadcast. */
    public record Reported(String subscriberId, Engagement signal) {}

    /**
     * Records {@code reported} signals of the broadcast, each new one counted once.
     * @return per entry, whether the subscriber is in the broadcast's audience (false: nothing recorded)
     * @throws NotFound when there is no such broadcast
     */
    public List<Boolean> engageAll(String account, String broadcastId, List<Reported> reported) {
        find(account, broadcastId);
        List<Boolean> recorded = new ArrayList<>();
        for (Reported r : reported) {
            recorded.add(engage(account, broadcastId, r.subscriberId(), r.signal()));
        }
        return recorded;
    }

    /**
     * Records what the host reported about a subscriber's copy of the broadcast, counting each new signal once.
     * @return false when the subscriber is not in the broadcast's audience (yet)
     */
    public boolean engage(String account, String broadcastId, String subscriberId, Engagement signal) {
        for (int race = 0; race < MAX_RACES; race++) {
            Optional<Stored<Recipient>> found = store.recipient(account, broadcastId, subscriberId);
            if (found.isEmpty()) {
                return false;
            }
            Recipient before = found.get().value();
            Recipient after = before.engaged(signal);
            if (after == before) {
                return true;
            }
            try {
                store.replaceRecipient(after, found.get().etag(), after.tallyChange(Optional.of(before)));
                return true;
            } catch (StaleWrite moved) {
                // a send or another event wrote it: apply ours to what is there now
            }
        }
        throw new Conflict("recipient " + subscriberId + " of broadcast " + broadcastId + " keeps changing; try again");
    }

    private Stored<Broadcast> find(String account, String broadcastId) {
        Ids.require("account", account);
        Ids.require("broadcastId", broadcastId);
        return store.find(account, broadcastId).orElseThrow(() -> new NotFound("broadcast " + broadcastId));
    }
}
