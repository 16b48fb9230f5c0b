package io.sequencer.domain.broadcast;

import io.sequencer.domain.Ids;
import io.sequencer.domain.enrollment.DeliveryId;
import io.sequencer.domain.enrollment.RoutePin;
import io.sequencer.domain.enrollment.StepRecord;
import io.sequencer.domain.report.Tally;
import io.sequencer.domain.subscriber.Engagement;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One subscriber of a broadcast's audience and what became of their message. A sender claims the recipient (until
 * its lease ends) before it sends, so two copies of one send message cannot both send; the settled outcome is
 * written once, with its counts ({@link #tallyChange}).
 *
 * @param attempts send attempts made so far (transient failures are retried with back-off)
 * @param detail why it failed or was skipped, or the channel's answer when sent
 * @param pin for a broadcast with fallback channels, the channel its send goes on, written before the first send so
 *            that a retry goes there too
 * @param channel the type of channel it was sent or failed on, once settled
 */
public record Recipient(String account, String broadcastId, String subscriberId, Instant dueAt, State state,
                        Optional<Instant> claimUntil, int attempts, Optional<String> detail, Optional<Instant> settledAt,
                        Set<Engagement> engagement, Optional<RoutePin> pin, Optional<String> channel) {

    public enum State {
        PENDING, CLAIMED, SENT, FAILED, SKIPPED;

        public boolean settled() {
            return this == SENT || this == FAILED || this == SKIPPED;
        }
    }

    /** Counter names of a broadcast's tally ({@link Tally} sums them over rows). */
    public static final String AUDIENCE = "audience";
    public static final String SENT = Tally.SENT;
    public static final String FAILED = Tally.FAILED;
    public static final String SKIPPED = Tally.SKIPPED;

    /** Skip reasons. */
    public static final String OPTED_OUT = "opted_out";

    public Recipient {
        Ids.require("account", account);
        Ids.require("broadcastId", broadcastId);
        Ids.require("subscriberId", subscriberId);
        if (dueAt == null || state == null || claimUntil == null || detail == null || settledAt == null
                || engagement == null || attempts < 0 || pin == null || channel == null) {
            throw new IllegalArgumentException("every field is required (optional ones may be empty)");
        }
        if ((state == State.CLAIMED) != claimUntil.isPresent()) {
            throw new IllegalArgumentException("a claimed recipient, and only one, has a claim end");
        }
        engagement = engagement.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(engagement));
    }

    /** A recipient with no channel pinned or recorded. */
    public Recipient(String account, String broadcastId, String subscriberId, Instant dueAt, State state,
                     Optional<Instant> claimUntil, int attempts, Optional<String> detail, Optional<Instant> settledAt,
                     Set<Engagement> engagement) {
        this(account, broadcastId, subscriberId, dueAt, state, claimUntil, attempts, detail, settledAt, engagement,
                Optional.empty(), Optional.empty());
    }

    public static Recipient pending(String account, String broadcastId, String subscriberId, Instant dueAt) {
        return new Recipient(account, broadcastId, subscriberId, dueAt, State.PENDING, Optional.empty(), 0,
                Optional.empty(), Optional.empty(), Set.of());
    }

    public DeliveryId deliveryId() {
        return DeliveryId.ofBroadcast(account, broadcastId, subscriberId);
    }

    /** True when another sender holds it at {@code now}. */
    public boolean claimedAt(Instant now) {
        return state == State.CLAIMED && claimUntil.orElseThrow().isAfter(now);
    }

    /** Held by a sender until {@code until}. */
    public Recipient claim(Instant until) {
        return new Recipient(account, broadcastId, subscriberId, dueAt, State.CLAIMED, Optional.of(until), attempts,
                detail, settledAt, engagement, pin, channel);
    }

    /** This recipient with its send pinned to {@code chosen} (see {@code pin}). */
    public Recipient pinned(RoutePin chosen) {
        return new Recipient(account, broadcastId, subscriberId, dueAt, state, claimUntil, attempts, detail, settledAt,
                engagement, Optional.of(chosen), channel);
    }

    /** Back to pending (a hold or a retry later), with {@code attempted} more attempts counted. */
    public Recipient release(int attempted, Optional<String> why) {
        return new Recipient(account, broadcastId, subscriberId, dueAt, State.PENDING, Optional.empty(),
                attempts + attempted, why, settledAt, engagement, pin, channel);
    }

    /** Settled as {@code outcome} ({@code SENT}, {@code FAILED} or {@code SKIPPED}) for {@code why}. */
    public Recipient settle(State outcome, String why, int attempted, Instant now) {
        if (!outcome.settled()) {
            throw new IllegalArgumentException(outcome + " does not settle a recipient");
        }
        return new Recipient(account, broadcastId, subscriberId, dueAt, outcome, Optional.empty(), attempts + attempted,
                Optional.of(why), Optional.of(now), engagement, pin, channel);
    }

    /** Settled as above, on the channel of type {@code channelType}. */
    public Recipient settle(State outcome, String why, int attempted, Instant now, String channelType) {
        Recipient settled = settle(outcome, why, attempted, now);
        return new Recipient(account, broadcastId, subscriberId, dueAt, outcome, Optional.empty(), settled.attempts(),
                settled.detail(), settled.settledAt(), engagement, pin, Optional.of(channelType));
    }

    /** With {@code signal} and what it implies; the same recipient when nothing is new. */
    public Recipient engaged(Engagement signal) {
        Set<Engagement> all = engagement.isEmpty() ? EnumSet.noneOf(Engagement.class) : EnumSet.copyOf(engagement);
        return all.addAll(signal.withImplied()) ? new Recipient(account, broadcastId, subscriberId, dueAt, state,
                claimUntil, attempts, detail, settledAt, all, pin, channel) : this;
    }

    /** The failure class of a failed recipient, as a sequence step's ({@link StepRecord#failureClassOf}). */
    Optional<String> failureClass() {
        return state == State.FAILED ? detail.map(StepRecord::failureClassOf) : Optional.empty();
    }

    /**
     * The counts that change when this recipient's stored state goes from {@code before} (empty: not stored yet) to
     * this: a new recipient is audience; a first settling counts as sent, failed by class, or skipped by reason; each
     * new engagement signal counts once.
     */
    public Tally tallyChange(Optional<Recipient> before) {
        Map<String, Long> out = new HashMap<>();
        if (before.isEmpty()) {
            out.merge(AUDIENCE, 1L, Long::sum);
        }
        boolean wasSettled = before.map(b -> b.state().settled()).orElse(false);
        if (state.settled() && !wasSettled) {
            String counter = switch (state) {
                case SENT -> SENT;
                case FAILED -> FAILED + "|" + failureClass().orElseThrow();
                default -> SKIPPED + "|" + detail.orElse("unknown");
            };
            out.merge(counter, 1L, Long::sum);
            if (state == State.SENT) {
                channel.ifPresent(type -> out.merge(Tally.VIA + "|" + type, 1L, Long::sum));
            }
        }
        Set<Engagement> known = before.map(Recipient::engagement).orElse(Set.of());
        for (Engagement signal : engagement) {
            if (!known.contains(signal)) {
                out.merge(signal.wireName(), 1L, Long::sum);
            }
        }
        return new Tally(out);
    }
}
