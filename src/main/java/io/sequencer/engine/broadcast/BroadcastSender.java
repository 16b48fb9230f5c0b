package io.sequencer.engine.broadcast;

import io.sequencer.domain.broadcast.Broadcast;
import io.sequencer.domain.broadcast.BroadcastTime;
import io.sequencer.domain.broadcast.Recipient;
import io.sequencer.domain.broadcast.SendChunk;
import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.domain.channel.ChannelRoute;
import io.sequencer.domain.enrollment.DeliveryId;
import io.sequencer.domain.enrollment.RoutePin;
import io.sequencer.domain.enrollment.StepRecord;
import io.sequencer.domain.limit.CapRule;
import io.sequencer.domain.limit.FrequencyLimits;
import io.sequencer.domain.subscriber.Subscriber;
import io.sequencer.domain.timer.RetryBackoff;
import io.sequencer.domain.timer.TimerDelay;
import io.sequencer.engine.Conflict;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import io.sequencer.engine.send.Channel;
import io.sequencer.engine.send.ChannelChoice;
import io.sequencer.engine.send.Delivery;
import io.sequencer.engine.send.DeliveryTarget;
import io.sequencer.engine.send.DestinationGuard;
import io.sequencer.engine.send.Personalised;
import io.sequencer.engine.send.SendGate;
import io.sequencer.engine.send.SendResult;
import io.sequencer.engine.subscriber.MarketingTokens;
import io.sequencer.engine.subscriber.SubscriberStore;
import io.sequencer.engine.timer.TimerTokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Sends a broadcast to the subscribers of one send message.
 *
 * <p>Before anything else it records a lease, and only then reads the broadcast: a cancel marks the broadcast first
 * and counts it cancelled only once no lease is live, so a sender either sees the cancel or is waited for. It starts no send once less
 * than {@link #SEND_ALLOWANCE} of its lease is left (the rest of the message is queued again), so when the lease
 * ends, its sends have too.
 *
 * <p>Each recipient is claimed (a conditional write) before it is sent, so two copies of a message, or a page the
 * fan-out repeated, cannot both send to them; its outcome is written once, with its counts. A crash between the
 * send and that write sends again, with the same delivery id, once the claim has run out.
 *
 * <p>It runs past 250 lines because lease, claim, send and outcome are one ordered protocol per recipient (the
 * order is what makes a cancel and a repeated message safe); the platform rules come from {@code SendGate}.
 */
public final class BroadcastSender {
    /** How long one sender may work on one message. */
    public static final Duration LEASE = Duration.ofMinutes(2);
    /** The longest a single send may take (channel timeouts and retries included), kept free at the lease's end. */
    static final Duration SEND_ALLOWANCE = Duration.ofSeconds(45);
    private static final int MAX_RACES = 5;

    private final BroadcastStore store;
    private final SubscriberStore subscribers;
    private final BroadcastQueue queue;
    private final Channel channel;
    private final SendGate gate;
    private final RetryBackoff backoff;
    private final TimerTokens tokens;
    private final Clock clock;

    public BroadcastSender(BroadcastStore store, SubscriberStore subscribers, BroadcastQueue queue, Channel channel,
                           SendGate gate, RetryBackoff backoff, TimerTokens tokens, Clock clock) {
        this.store = store;
        this.subscribers = subscribers;
        this.queue = queue;
        this.channel = channel;
        this.gate = gate;
        this.backoff = backoff;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** What one send message came to, recipient by recipient. */
    public record Outcome(int sent, int failed, int skipped, int later, int done, String note) {
        static Outcome dropped(String note) {
            return new Outcome(0, 0, 0, 0, 0, note);
        }
    }

    private static final class Counts {
        int sent;
        int failed;
        int skipped;
        int later;
        int done;
    }

    public Outcome handle(SendChunk chunk) {
        Instant now = clock.instant();
        if (TimerDelay.isEarly(now, chunk.dueAt())) {
            queue.send(chunk, chunk.dueAt());
            return Outcome.dropped("early; back at " + chunk.dueAt());
        }
        String token = tokens.get();
        Instant leaseEnd = now.plus(LEASE);
        store.openLease(chunk.account(), chunk.broadcastId(), token, leaseEnd);
        try {
            Optional<Broadcast> broadcast = store.find(chunk.account(), chunk.broadcastId()).map(Stored::value);
            if (broadcast.isEmpty()) {
                return Outcome.dropped("no such broadcast");
            }
            if (broadcast.get().cancelled()) {
                return Outcome.dropped("cancelled");
            }
            Counts counts = new Counts();
            Instant lastStart = leaseEnd.minus(SEND_ALLOWANCE);
            for (int i = 0; i < chunk.subscriberIds().size(); i++) {
                if (clock.instant().isAfter(lastStart)) {
                    queue.send(chunk.from(i), clock.instant());
                    counts.later += chunk.subscriberIds().size() - i;
                    break;
                }
                sendTo(broadcast.get(), chunk.subscriberIds().get(i), leaseEnd, lastStart, counts);
            }
            return new Outcome(counts.sent, counts.failed, counts.skipped, counts.later, counts.done, "");
        } finally {
            store.closeLease(chunk.account(), chunk.broadcastId(), token);
        }
    }

    /**
     * The message failed every attempt the queue allows ({@code error} says why): its recipients not yet settled are
     * recorded as failed with that error, so the broadcast's report shows them and its status can reach sent, instead
     * of their waiting unseen in the poison queue. Best effort: when storage is what fails, this fails too.
     * @return how many were recorded
     */
    public int abandon(SendChunk chunk, String error) {
        int recorded = 0;
        for (String subscriberId : chunk.subscriberIds()) {
            Optional<Stored<Recipient>> found = store.recipient(chunk.account(), chunk.broadcastId(), subscriberId);
            if (found.isEmpty() || found.get().value().state().settled()) {
                continue;
            }
            Recipient before = found.get().value();
            if (before.claimedAt(clock.instant())) {
                continue; // another copy of the message is sending to them now
            }
            Recipient failed = before.settle(Recipient.State.FAILED, StepRecord.GAVE_UP + "the last attempt of its "
                    + "message: " + error, 0, clock.instant());
            try {
                store.replaceRecipient(failed, found.get().etag(), failed.tallyChange(Optional.of(before)));
                recorded++;
            } catch (StaleWrite moved) {
                // settled or claimed meanwhile by another copy: that one records it
            }
        }
        return recorded;
    }

    /** The subscriber's zone, else the zone a local send time falls back to, else UTC. */
    private static ZoneId zoneOf(Broadcast broadcast, Optional<Subscriber> profile) {
        return profile.flatMap(Subscriber::timezone).orElseGet(() -> broadcast.sendTime() instanceof BroadcastTime.Local local
                ? local.fallback() : ZoneOffset.UTC);
    }

    private void sendTo(Broadcast broadcast, String subscriberId, Instant leaseEnd, Instant lastStart, Counts counts) {
        Optional<Stored<Recipient>> claimed = claim(broadcast, subscriberId, leaseEnd, counts);
        if (claimed.isEmpty()) {
            return;
        }
        Recipient recipient = claimed.get().value();
        String etag = claimed.get().etag();
        Instant now = clock.instant();
        Optional<Subscriber> profile = subscribers.find(broadcast.account(), subscriberId).map(Stored::value);
        if (profile.map(Subscriber::optedOut).orElse(false)) {
            settle(recipient, etag, Recipient.State.SKIPPED, Recipient.OPTED_OUT, 0, counts);
            return;
        }
        // The first of its channels that would not skip this subscriber; a send pinned to one asks that one alone.
        List<ChannelRoute.Stop> stops = broadcast.route().stops(broadcast.channel(), broadcast.message());
        String sendId = recipient.deliveryId().value();
        Optional<RoutePin> pin = recipient.pin().filter(p -> p.pins(sendId));
        ChannelChoice.Choice choice = ChannelChoice.choose(stops, pin, stop -> gate.checkBroadcast(stop.channel(),
                broadcast.tag(), broadcast.marketingMessage(), profile, now));
        ChannelConfig onChannel = choice.stop().channel();
        SendGate.Verdict verdict = choice.verdict();
        if (verdict instanceof SendGate.Verdict.Skip skip) {
            settle(recipient, etag, Recipient.State.SKIPPED, skip.reason(), 0, counts);
            return;
        }
        if (verdict instanceof SendGate.Verdict.Hold hold) {
            later(recipient, etag, hold.until(), 0, hold.reason(), counts);
            return;
        }
        // Personalised from the profile read above, before the destination is asked (an admission holds a slot
        // until its permit is closed): a failing template is this recipient's permanent failure and costs the
        // destination nothing.
        Personalised message = Personalised.broadcast(choice.stop().message(), broadcast.account(), subscriberId, profile,
                zoneOf(broadcast, profile), now, gate.channels(), onChannel);
        if (message.failure().isPresent()) {
            settle(recipient, etag, Recipient.State.FAILED, message.failure().get(), 1, counts, onChannel);
            return;
        }
        DestinationGuard.Admission admission = gate.admit(onChannel);
        if (admission instanceof DestinationGuard.Admission.Defer defer) {
            // Put off for its destination (open circuit, or as many sends in flight as it may): not an attempt.
            later(recipient, etag, defer.deferral().until(), 0, defer.deferral().reason(), counts);
            return;
        }
        int attempt = recipient.attempts() + 1;
        DeliveryId deliveryId = recipient.deliveryId();
        SendGate.Verdict.Go go = (SendGate.Verdict.Go) verdict;
        SendResult result;
        try (DestinationGuard.Permit permit = ((DestinationGuard.Admission.Go) admission).permit()) {
            // Logged under the delivery id before the send: a repeated message sends again without counting again.
            CapRule.Verdict capped = gate.caps().admit(broadcast.account(), subscriberId, onChannel.type(),
                    deliveryId.value(), broadcast.exempt());
            if (capped instanceof CapRule.Verdict.Skip) {
                settle(recipient, etag, Recipient.State.SKIPPED, FrequencyLimits.SKIP_REASON, 0, counts);
                return;
            }
            if (capped instanceof CapRule.Verdict.Hold hold) {
                later(recipient, etag, hold.until(), 0, "held by the account's frequency cap", counts);
                return;
            }
            Optional<Duration> overBudget = gate.budgetWait(onChannel);
            if (overBudget.isPresent()) {
                later(recipient, etag, now.plus(overBudget.get()), 0, "over the destination's send budget", counts);
                return;
            }
            if (clock.instant().isAfter(lastStart)) {
                // The checks took long (slow storage): too close to the lease's end for a send to finish inside it.
                later(recipient, etag, clock.instant(), 0, "the sender's lease ran short", counts);
                return;
            }
            if (stops.size() > 1 && !pin.map(RoutePin::chosen).orElse(false)) {
                // Before the send: a retry of it, after a failure or a lost lease, goes on this channel only.
                Recipient pinned = recipient.pinned(RoutePin.chosen(deliveryId.value(), choice.stop().index()));
                try {
                    etag = store.replaceRecipient(pinned, etag);
                    recipient = pinned;
                } catch (StaleWrite lostClaim) {
                    return; // another sender holds it now: that one sends
                }
            }
            Delivery delivery = new Delivery(deliveryId,
                    new DeliveryTarget.Broadcast(broadcast.account(), broadcast.id(), subscriberId), message.text(),
                    recipient.dueAt(), attempt, broadcast.tag(), go.email(), go.marketingToken());
            result = channel.send(onChannel, delivery);
            permit.record(result);
        }
        if (result instanceof SendResult.Sent sent) {
            settle(recipient, etag, Recipient.State.SENT, sent.detail(), 1, counts, onChannel);
        } else if (result instanceof SendResult.PermanentFailure failure) {
            if (failure.tokenRefused() && go.marketingToken().isPresent()) {
                MarketingTokens.refuse(subscribers, clock, broadcast.account(), subscriberId, go.marketingToken().get(),
                        failure.reason());
            }
            gate.caps().release(broadcast.account(), subscriberId, deliveryId.value());
            settle(recipient, etag, Recipient.State.FAILED, failure.reason(), 1, counts, onChannel);
        } else if (result instanceof SendResult.RecipientGone gone && choice.stop().index() + 1 < stops.size()) {
            // Gone from this channel: the send goes on the next ones (never this one again), at once.
            gate.caps().release(broadcast.account(), subscriberId, deliveryId.value());
            later(recipient.pinned(RoutePin.from(deliveryId.value(), choice.stop().index() + 1)), etag, clock.instant(), 0,
                    "recipient gone from the " + onChannel.type() + " channel; trying the next channel", counts);
        } else if (result instanceof SendResult.RecipientGone gone) {
            settle(recipient, etag, Recipient.State.FAILED, StepRecord.UNREACHABLE + gone.reason(), 1, counts, onChannel);
        } else {
            SendResult.TransientFailure failure = (SendResult.TransientFailure) result;
            if (backoff.mayRetryAfter(attempt)) {
                Duration after = backoff.delayAfter(attempt, deliveryId, failure.retryAfter());
                later(recipient, etag, clock.instant().plus(after), 1, failure.reason(), counts);
            } else {
                settle(recipient, etag, Recipient.State.FAILED,
                        StepRecord.GAVE_UP + attempt + " attempts: " + failure.reason(), 1, counts, onChannel);
            }
        }
    }

    /**
     * Claims the recipient for this sender until {@code leaseEnd}; empty when there is nothing to send: settled
     * already, or held by another sender (then it is looked at again when that claim ends, in case that sender died).
     */
    private Optional<Stored<Recipient>> claim(Broadcast broadcast, String subscriberId, Instant leaseEnd, Counts counts) {
        for (int race = 0; race < MAX_RACES; race++) {
            Optional<Stored<Recipient>> found = store.recipient(broadcast.account(), broadcast.id(), subscriberId);
            if (found.isEmpty() || found.get().value().state().settled()) {
                // Stored before any send message names them, so missing means never in this broadcast.
                counts.done++;
                return Optional.empty();
            }
            Recipient recipient = found.get().value();
            if (recipient.claimedAt(clock.instant())) {
                Instant claimEnd = recipient.claimUntil().orElseThrow();
                queue.send(SendChunk.one(broadcast.account(), broadcast.id(), recipient.dueAt(), subscriberId), claimEnd);
                counts.later++;
                return Optional.empty();
            }
            Recipient claimed = recipient.claim(leaseEnd);
            try {
                return Optional.of(new Stored<>(claimed, store.replaceRecipient(claimed, found.get().etag())));
            } catch (StaleWrite raced) {
                // another copy claimed or settled it first: look again
            }
        }
        throw new Conflict("recipient " + subscriberId + " of broadcast " + broadcast.id() + " keeps changing");
    }

    private void settle(Recipient claimed, String etag, Recipient.State outcome, String why, int attempted, Counts counts) {
        settle(claimed, etag, outcome, why, attempted, counts, null);
    }

    /** Settles {@code claimed}, on {@code on} (the channel it was sent or failed on) when not null. */
    private void settle(Recipient claimed, String etag, Recipient.State outcome, String why, int attempted, Counts counts,
                        ChannelConfig on) {
        Instant now = clock.instant();
        boolean written = writeOwned(claimed, etag, held -> on == null ? held.settle(outcome, why, attempted, now)
                : held.settle(outcome, why, attempted, now, on.type()), true);
        if (written) {
            switch (outcome) {
                case SENT -> counts.sent++;
                case FAILED -> counts.failed++;
                default -> counts.skipped++;
            }
        }
    }

    /**
     * Writes {@code change} of the recipient this sender claimed. An event may have changed the row meanwhile (its
     * engagement): while the row is still held under this sender's claim, the change is applied to it again. A row
     * no longer held by this claim (it ran out and another sender took over) is left to that sender.
     * @return whether it was written
     */
    private boolean writeOwned(Recipient claimed, String etag, UnaryOperator<Recipient> change,
                               boolean counted) {
        Recipient base = claimed;
        String baseEtag = etag;
        for (int race = 0; race < MAX_RACES; race++) {
            Recipient next = change.apply(base);
            try {
                if (counted) {
                    store.replaceRecipient(next, baseEtag, next.tallyChange(Optional.of(base)));
                } else {
                    store.replaceRecipient(next, baseEtag);
                }
                return true;
            } catch (StaleWrite moved) {
                Optional<Stored<Recipient>> fresh = store.recipient(claimed.account(), claimed.broadcastId(),
                        claimed.subscriberId());
                if (fresh.isEmpty() || fresh.get().value().state() != Recipient.State.CLAIMED
                        || !fresh.get().value().claimUntil().equals(claimed.claimUntil())) {
                    return false;
                }
                base = fresh.get().value();
                baseEtag = fresh.get().etag();
            }
        }
        throw new Conflict("recipient " + claimed.subscriberId() + " of broadcast " + claimed.broadcastId()
                + " keeps changing");
    }

    /**
     * Tries the recipient again at {@code at}: the message for it is queued before the claim is released, so a
     * crash in between leaves it claimed until the claim ends, and the new message then takes it.
     */
    private void later(Recipient claimed, String etag, Instant at, int attempted, String why, Counts counts) {
        queue.send(SendChunk.one(claimed.account(), claimed.broadcastId(), claimed.dueAt(), claimed.subscriberId()), at);
        writeOwned(claimed, etag, held -> held.release(attempted, Optional.of(why)), false);
        counts.later++;
    }
}
