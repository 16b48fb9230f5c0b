package io.sequencer.engine.send;

import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.sequence.Step;
import io.sequencer.domain.subscriber.Subscriber;
import io.sequencer.domain.timer.Tick;
import io.sequencer.engine.channel.ChannelRules;
import io.sequencer.engine.channel.Channels;
import io.sequencer.engine.limit.FrequencyCaps;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The rules a due step must pass before it is sent: its channel's own ({@link Channels}: e.g. Messenger's human
 * conversation and 24-hour window, an e-mail's need for the subscriber's address); each destination's send budget
 * ({@link SendBudget}); a slow or failing destination is kept from holding up the others
 * ({@link DestinationGuard}); and the account's frequency caps ({@link FrequencyCaps}).
 */
public final class SendGate {
    /** How many times at most a step held outside its channel's messaging window looks again (seven days of hours). */
    static final int MAX_WINDOW_HOLDS = 7 * 24;
    public static final Duration DEFAULT_AGENT_HOLD = Duration.ofMinutes(30);

    private final Duration agentHold;
    private final SendBudget budget;
    private final DestinationGuard guard;
    private final Channels channels;
    private final FrequencyCaps caps;

    /** Without a bulkhead or circuits ({@link DestinationGuard#NONE}): for tests of the other rules. */
    public SendGate(Duration agentHold, SendBudget budget, Channels channels) {
        this(agentHold, budget, DestinationGuard.NONE, channels);
    }

    public SendGate(Duration agentHold, SendBudget budget, DestinationGuard guard, Channels channels) {
        this(agentHold, budget, guard, channels, FrequencyCaps.NONE);
    }

    private SendGate(Duration agentHold, SendBudget budget, DestinationGuard guard, Channels channels,
                     FrequencyCaps caps) {
        this.agentHold = agentHold;
        this.budget = budget;
        this.guard = guard;
        this.channels = channels;
        this.caps = caps;
    }

    /** Only the channels' own rules, no limits to keep: webhook-only setups and tests. */
    public static SendGate open(Channels channels) {
        return new SendGate(DEFAULT_AGENT_HOLD, SendBudget.UNLIMITED, channels);
    }

    /** This gate's limits over the rules of {@code channels}. */
    public SendGate withChannels(Channels channels) {
        return new SendGate(agentHold, budget, guard, channels, caps);
    }

    /** This gate, keeping the accounts' frequency caps too. */
    public SendGate withCaps(FrequencyCaps caps) {
        return new SendGate(agentHold, budget, guard, channels, caps);
    }

    /** The accounts' frequency caps ({@link FrequencyCaps#NONE} when none are kept). */
    public FrequencyCaps caps() {
        return caps;
    }

    /** The rules of the channel types this gate checks. */
    public Channels channels() {
        return channels;
    }

    /**
     * Whether a send to {@code channel}'s destination may go now, by its circuit and bulkhead. Asked before the
     * budget, so that a send put off for its destination takes no share of the budget.
     */
    public DestinationGuard.Admission admit(ChannelConfig channel) {
        return guard.admit(channel);
    }

    public DestinationGuard guard() {
        return guard;
    }

    /** Empty when the destination's budget allows a send now (and takes its share); else how long to wait. */
    public Optional<Duration> budgetWait(ChannelConfig channel) {
        return budget.take(channel);
    }

    /** What to do with the step now. */
    public sealed interface Verdict {
        /**
         * Send it, to {@code email} for e-mail steps; as a Messenger marketing message to {@code marketingToken}
         * (the subscriber's opt-in token) when the standard window is closed and the message may go that way.
         */
        record Go(Optional<String> email, Optional<String> marketingToken) implements Verdict {
            public Go(Optional<String> email) {
                this(email, Optional.empty());
            }
        }

        /** Not yet: look again at {@code until}. */
        record Hold(Instant until, String reason) implements Verdict {}

        /** Not at all: record it as skipped for {@code reason} and go on. */
        record Skip(String reason) implements Verdict {}
    }

    public Verdict check(ChannelConfig channel, Step step, Enrollment enrollment, Optional<Subscriber> profile, Tick tick,
                         Instant now) {
        boolean holdOutsideWindow = step.messaging().holdOutsideWindow() && tick.holds() < MAX_WINDOW_HOLDS;
        return verdict(channel, new ChannelRules.Message(step.messaging().tag(), profile, enrollment.enrolledAt(),
                holdOutsideWindow, now, agentHold, step.messaging().marketingMessage()));
    }

    /**
     * The same rules for a broadcast's message: held while a person from the page talks with the subscriber, and
     * outside Messenger's 24-hour window sent only with a message tag (skipped otherwise: a broadcast's moment passes).
     */
    public Verdict checkBroadcast(ChannelConfig channel, Optional<String> tag, Optional<Subscriber> profile, Instant now) {
        return checkBroadcast(channel, tag, false, profile, now);
    }

    /** As above; with {@code marketingMessage}, outside the window it goes to a usable opt-in token when there is one. */
    public Verdict checkBroadcast(ChannelConfig channel, Optional<String> tag, boolean marketingMessage,
                                  Optional<Subscriber> profile, Instant now) {
        return verdict(channel, new ChannelRules.Message(tag, profile, Instant.EPOCH, false, now, agentHold,
                marketingMessage));
    }

    /** The channel's own rules ({@link Channels}): first what holds the message, then its recipient. */
    private Verdict verdict(ChannelConfig channel, ChannelRules.Message message) {
        return channels.hold(channel, message).orElseGet(() -> channels.recipient(channel, message.profile()));
    }
}
