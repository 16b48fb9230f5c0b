package io.sequencer.engine.send;

import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.sequence.Step;
import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.domain.subscriber.Conversation;
import io.sequencer.domain.subscriber.Subscriber;
import io.sequencer.domain.timer.Tick;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The platform rules a due step must pass before it is sent, in one place: a human conversation on Messenger
 * holds it until a while after it ended; outside Messenger's 24-hour window an untagged step is skipped or held
 * until the subscriber interacts again; an e-mail needs the subscriber's address; each destination's send
 * budget ({@link SendBudget}) is kept; and a slow or failing destination is kept from holding up the others
 * ({@link DestinationGuard}).
 */
public final class SendGate {
    /** Reason recorded for a Messenger step that fell due outside the standard messaging window. */
    public static final String OUTSIDE_WINDOW = "outside_messaging_window";
    /** Reason recorded for an e-mail to a subscriber without an e-mail address. */
    static final String NO_EMAIL = "no_email_address";
    /** How often a step held for the window looks again, and for how many looks at most (seven days). */
    public static final Duration WINDOW_RECHECK = Duration.ofHours(1);
    static final int MAX_WINDOW_HOLDS = 7 * 24;
    public static final Duration DEFAULT_AGENT_HOLD = Duration.ofMinutes(30);

    /** No platform limits to keep: webhook-only setups and tests. */
    public static final SendGate OPEN = new SendGate(DEFAULT_AGENT_HOLD, SendBudget.UNLIMITED);

    private final Duration agentHold;
    private final SendBudget budget;
    private final DestinationGuard guard;

    /** Without a bulkhead or circuits ({@link DestinationGuard#NONE}): for tests of the other rules. */
    public SendGate(Duration agentHold, SendBudget budget) {
        this(agentHold, budget, DestinationGuard.NONE);
    }

    public SendGate(Duration agentHold, SendBudget budget, DestinationGuard guard) {
        this.agentHold = agentHold;
        this.budget = budget;
        this.guard = guard;
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
        /** Send it, to {@code email} for e-mail steps. */
        record Go(Optional<String> email) implements Verdict {}

        /** Not yet: look again at {@code until}. */
        record Hold(Instant until, String reason) implements Verdict {}

        /** Not at all: record it as skipped for {@code reason} and go on. */
        record Skip(String reason) implements Verdict {}
    }

    public Verdict check(ChannelConfig channel, Step step, Enrollment enrollment, Optional<Subscriber> profile, Tick tick,
                         Instant now) {
        if (channel instanceof ChannelConfig.Messenger) {
            boolean holdOutsideWindow = step.messaging().holdOutsideWindow() && tick.holds() < MAX_WINDOW_HOLDS;
            Optional<Verdict> held = messengerRules(profile, step.messaging().tag(), enrollment.enrolledAt(),
                    holdOutsideWindow, now);
            if (held.isPresent()) {
                return held.get();
            }
        }
        return recipientVerdict(channel, profile);
    }

    /**
     * The same rules for a broadcast's message: held while a person from the page talks with the subscriber, and
     * outside Messenger's 24-hour window sent only with a message tag (skipped otherwise: a broadcast's moment passes).
     */
    public Verdict checkBroadcast(ChannelConfig channel, Optional<String> tag, Optional<Subscriber> profile, Instant now) {
        if (channel instanceof ChannelConfig.Messenger) {
            Optional<Verdict> held = messengerRules(profile, tag, Instant.EPOCH, false, now);
            if (held.isPresent()) {
                return held.get();
            }
        }
        return recipientVerdict(channel, profile);
    }

    /**
     * Messenger's rules: a human conversation holds the message; outside the 24-hour window (opened by the last
     * interaction, or by {@code windowFrom}) an untagged message is held for a look later when
     * {@code holdOutsideWindow}, else skipped. Empty: it may go.
     */
    private Optional<Verdict> messengerRules(Optional<Subscriber> profile, Optional<String> tag, Instant windowFrom,
                                             boolean holdOutsideWindow, Instant now) {
        Conversation conversation = profile.map(Subscriber::conversation).orElse(Conversation.NONE);
        Optional<Instant> heldUntil = conversation.agentHoldUntil(now, agentHold);
        if (heldUntil.isPresent()) {
            return Optional.of(new Verdict.Hold(heldUntil.get(), "a person from the page is talking with the subscriber"));
        }
        if (tag.isEmpty() && !conversation.windowOpen(now, windowFrom)) {
            return Optional.of(holdOutsideWindow
                    ? new Verdict.Hold(now.plus(WINDOW_RECHECK), "held until the subscriber interacts again")
                    : new Verdict.Skip(OUTSIDE_WINDOW));
        }
        return Optional.empty();
    }

    /** The recipient's address where the channel needs one from the profile (e-mail). */
    private static Verdict recipientVerdict(ChannelConfig channel, Optional<Subscriber> profile) {
        if (channel instanceof ChannelConfig.SendGrid) {
            Optional<String> email = profile.flatMap(p -> p.attributes().get("email"))
                    .filter(v -> v instanceof AttributeValue.Text).map(v -> ((AttributeValue.Text) v).value())
                    .filter(v -> v.contains("@"));
            return email.isEmpty() ? new Verdict.Skip(NO_EMAIL) : new Verdict.Go(email);
        }
        return new Verdict.Go(Optional.empty());
    }
}
