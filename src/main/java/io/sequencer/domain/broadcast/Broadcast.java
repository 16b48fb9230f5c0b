package io.sequencer.domain.broadcast;

import io.sequencer.domain.Ids;
import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.domain.channel.ChannelRoute;
import io.sequencer.domain.channel.StepMessaging;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One message to many subscribers at a set time: its definition, and the state the system keeps for it (whether it
 * was cancelled, how far its fan-out has come). The listed subscribers are stored beside it in pages of
 * {@link #LISTED_PAGE}.
 *
 * <p>A cancel has two moments: {@code cancelledAt}, when it was asked for (from then on no sender starts on it), and
 * {@code sendersStoppedAt}, when no sender that read it before was still at work (from then on nobody receives it).
 *
 * @param message the JSON object text handed to the channel untouched, as a step's
 * @param tag a Messenger message tag, for a broadcast that may reach subscribers outside the 24-hour window
 * @param marketingMessage outside the 24-hour window, a Messenger broadcast goes as a Marketing Message to each
 *                         subscriber's usable opt-in token ({@code "outsideWindow": "marketing_message"})
 * @param exempt transactional: the account's frequency caps neither hold nor count its sends
 * @param route the channels it falls back to, in order, for a subscriber its {@code channel} would skip
 */
public record Broadcast(String account, String id, BroadcastTime sendTime, ChannelConfig channel, String message,
                        Optional<String> tag, Audience audience, Instant createdAt, Optional<Instant> cancelledAt,
                        Optional<Instant> sendersStoppedAt, FanOutCursor fanOut, boolean marketingMessage,
                        boolean exempt, ChannelRoute route) {
    /** Listed subscribers per stored page, and per fan-out page of them. */
    public static final int LISTED_PAGE = 500;
    /** Account subscribers read per fan-out page. */
    public static final int ACCOUNT_PAGE = 500;
    /** The fan-out starts this long before the earliest subscriber's send time, so the first sends are on time. */
    static final Duration FAN_OUT_LEAD = Duration.ofMinutes(2);
    /** How far ahead a broadcast may be scheduled. */
    public static final Duration MAX_AHEAD = Duration.ofDays(366);

    public Broadcast {
        Ids.require("account", account);
        Ids.require("broadcastId", id);
        if (sendTime == null || channel == null || tag == null || audience == null || createdAt == null
                || cancelledAt == null || sendersStoppedAt == null || fanOut == null || route == null) {
            throw new IllegalArgumentException("every field but the optional ones is required");
        }
        if (sendersStoppedAt.isPresent() && cancelledAt.isEmpty()) {
            throw new IllegalArgumentException("only a cancelled broadcast has its senders stopped");
        }
        if (message == null || message.isBlank()) {
            throw new IllegalArgumentException("message is required");
        }
        new StepMessaging(tag, false);
        if (route.channel().isPresent()) {
            throw new IllegalArgumentException("a broadcast's own channel is its channel; its route holds the fallback only");
        }
    }

    /** A broadcast with no fallback channels. */
    public Broadcast(String account, String id, BroadcastTime sendTime, ChannelConfig channel, String message,
                     Optional<String> tag, Audience audience, Instant createdAt, Optional<Instant> cancelledAt,
                     Optional<Instant> sendersStoppedAt, FanOutCursor fanOut, boolean marketingMessage, boolean exempt) {
        this(account, id, sendTime, channel, message, tag, audience, createdAt, cancelledAt, sendersStoppedAt, fanOut,
                marketingMessage, exempt, ChannelRoute.DEFAULT);
    }

    /** Not a marketing broadcast, and one that counts against the frequency caps. */
    public Broadcast(String account, String id, BroadcastTime sendTime, ChannelConfig channel, String message,
                     Optional<String> tag, Audience audience, Instant createdAt, Optional<Instant> cancelledAt,
                     Optional<Instant> sendersStoppedAt, FanOutCursor fanOut) {
        this(account, id, sendTime, channel, message, tag, audience, createdAt, cancelledAt, sendersStoppedAt, fanOut,
                false, false);
    }

    /** A new broadcast, not yet fanned out. */
    public static Broadcast schedule(String account, String id, BroadcastTime sendTime, ChannelConfig channel,
                                     String message, Optional<String> tag, Audience audience, Instant now) {
        return schedule(account, id, sendTime, channel, message, tag, audience, now, false);
    }

    /** A new broadcast, not yet fanned out; {@code exempt} from the frequency caps when transactional. */
    public static Broadcast schedule(String account, String id, BroadcastTime sendTime, ChannelConfig channel,
                                     String message, Optional<String> tag, Audience audience, Instant now,
                                     boolean exempt) {
        return new Broadcast(account, id, sendTime, channel, message, tag, audience, now, Optional.empty(),
                Optional.empty(), FanOutCursor.start(listedPages(audience.listed())), false, exempt);
    }

    /** This broadcast, going as a Marketing Message outside the window when {@code marketing}. */
    public Broadcast withMarketingMessage(boolean marketing) {
        return new Broadcast(account, id, sendTime, channel, message, tag, audience, createdAt, cancelledAt,
                sendersStoppedAt, fanOut, marketing, exempt, route);
    }

    /** This broadcast, falling back to {@code fallback}'s channels. */
    public Broadcast withRoute(ChannelRoute fallback) {
        return new Broadcast(account, id, sendTime, channel, message, tag, audience, createdAt, cancelledAt,
                sendersStoppedAt, fanOut, marketingMessage, exempt, fallback);
    }

    public static int listedPages(int listed) {
        return (listed + LISTED_PAGE - 1) / LISTED_PAGE;
    }

    public int listedPages() {
        return listedPages(audience.listed());
    }

    /** When the fan-out begins (a little before anyone is due). */
    public Instant fanOutAt() {
        return sendTime.earliest().minus(FAN_OUT_LEAD);
    }

    /** True once a cancel was asked for: no sender starts on it any more (some may still be finishing). */
    public boolean cancelled() {
        return cancelledAt.isPresent();
    }

    public Broadcast cancel(Instant now) {
        return cancelled() ? this : new Broadcast(account, id, sendTime, channel, message, tag, audience, createdAt,
                Optional.of(now), Optional.empty(), fanOut, marketingMessage, exempt, route);
    }

    /** The cancel has taken full effect: no sender that read the broadcast before it is still at work. */
    public Broadcast sendersStopped(Instant now) {
        if (!cancelled()) {
            throw new IllegalStateException("broadcast " + id + " is not cancelled");
        }
        return sendersStoppedAt.isPresent() ? this : new Broadcast(account, id, sendTime, channel, message, tag,
                audience, createdAt, cancelledAt, Optional.of(now), fanOut, marketingMessage, exempt, route);
    }

    public Broadcast withFanOut(FanOutCursor next) {
        return new Broadcast(account, id, sendTime, channel, message, tag, audience, createdAt, cancelledAt,
                sendersStoppedAt, next, marketingMessage, exempt, route);
    }

    /** True when {@code other} asks for the same broadcast (a repeated request), whatever became of either since. */
    public boolean sameRequestAs(Broadcast other) {
        return account.equals(other.account) && id.equals(other.id) && sendTime.equals(other.sendTime)
                && channel.equals(other.channel) && message.equals(other.message) && tag.equals(other.tag)
                && audience.equals(other.audience) && marketingMessage == other.marketingMessage
                && exempt == other.exempt && route.equals(other.route);
    }

    /** The status shown for this broadcast when {@code unsettled} of its audience are still to be sent. */
    BroadcastStatus status(long unsettled) {
        if (cancelled()) {
            return sendersStoppedAt.isPresent() ? BroadcastStatus.CANCELLED : BroadcastStatus.CANCELLING;
        }
        if (fanOut.done() && unsettled == 0) {
            return BroadcastStatus.SENT;
        }
        return fanOut.started() ? BroadcastStatus.SENDING : BroadcastStatus.SCHEDULED;
    }
}
