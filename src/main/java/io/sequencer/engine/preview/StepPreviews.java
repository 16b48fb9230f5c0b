package io.sequencer.engine.preview;

import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.domain.enrollment.DeliveryId;
import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.enrollment.Origin;
import io.sequencer.domain.enrollment.StepRecord;
import io.sequencer.domain.sequence.Assignment;
import io.sequencer.domain.sequence.NextSendTime;
import io.sequencer.domain.sequence.Sequence;
import io.sequencer.domain.sequence.SplitPath;
import io.sequencer.domain.sequence.Step;
import io.sequencer.domain.sequence.Variant;
import io.sequencer.domain.subscriber.Subscriber;
import io.sequencer.domain.template.NamedRender;
import io.sequencer.domain.template.TemplateFailure;
import io.sequencer.domain.template.TemplateValues;
import io.sequencer.engine.NotFound;
import io.sequencer.engine.Stored;
import io.sequencer.engine.channel.ChannelRules;
import io.sequencer.engine.channel.Channels;
import io.sequencer.engine.channel.TestRecipient;
import io.sequencer.engine.send.Channel;
import io.sequencer.engine.send.Delivery;
import io.sequencer.engine.send.DeliveryTarget;
import io.sequencer.engine.send.SendGate;
import io.sequencer.engine.send.SendResult;
import io.sequencer.engine.sequence.SequenceStore;
import io.sequencer.engine.subscriber.SubscriberStore;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A step seen before it goes: {@link #preview} renders it for one subscriber as its channel would send it and says
 * when it would fall due, writing and sending nothing; {@link #testSend} sends it now to a tester, outside every
 * enrollment, so no report, timeline or notice hears of it, at most {@link #TEST_SENDS_PER_MINUTE} a minute per
 * account.
 *
 * <p>Both act as if the subscriber were enrolled now with that step next: epoch 1, no step sent yet, enrolled at
 * this moment, with the {@code data} the request gives.
 */
public final class StepPreviews {
    /** Due times a preview lists. */
    public static final int DUE_TIMES = 5;
    public static final int TEST_SENDS_PER_MINUTE = 5;

    private final SequenceStore sequences;
    private final SubscriberStore subscribers;
    private final Channels channels;
    private final Channel channel;
    private final Clock clock;
    private final TestSendLimit limit = new TestSendLimit(TEST_SENDS_PER_MINUTE, Duration.ofMinutes(1));
    private final SecureRandom random = new SecureRandom();

    public StepPreviews(SequenceStore sequences, SubscriberStore subscribers, Channels channels, Channel channel,
                        Clock clock) {
        this.sequences = sequences;
        this.subscribers = subscribers;
        this.channels = channels;
        this.channel = channel;
        this.clock = clock;
    }

    /**
     * Step {@code stepId} as it would go to {@code subject}: reads the sequence and, for a stored subscriber, the
     * profile; writes nothing and sends nothing.
     * @throws NotFound for an unknown sequence, step or stored subscriber
     * @throws RenderFailed when the message cannot be made for this subscriber
     */
    public StepPreview preview(String account, String sequenceId, String stepId, PreviewSubject subject) {
        Rendering r = rendering(account, sequenceId, stepId, subject);
        // The step's first channel (its own, else the sequence's); a preview does not play out its fallback.
        ChannelConfig config = r.step().route().first(r.sequence().channel());
        Optional<String> tag = r.step().messaging().tag();
        SendGate.Verdict verdict = channels.hold(config, new ChannelRules.Message(tag, r.profile(), r.now(), false,
                r.now(), SendGate.DEFAULT_AGENT_HOLD)).orElseGet(() -> channels.recipient(config, r.profile()));
        Optional<String> email = verdict instanceof SendGate.Verdict.Go go ? go.email() : Optional.empty();
        Optional<String> skip = r.path().filter(goTo -> !goTo.equals(stepId)).map(goTo -> StepRecord.SPLIT_TO + goTo)
                .or(() -> verdict instanceof SendGate.Verdict.Skip s ? Optional.of(s.reason())
                : verdict instanceof SendGate.Verdict.Hold h ? Optional.of("held: " + h.reason()) : Optional.empty());
        List<Instant> due = NextSendTime.upcoming(r.step(), r.sequence(), r.now(),
                r.profile().flatMap(Subscriber::timezone), DUE_TIMES);
        int index = r.sequence().indexOf(stepId).orElseThrow();
        Delivery delivery = new Delivery(DeliveryId.of(r.key(), 1, index, stepId),
                new DeliveryTarget.Step(r.key(), stepId, r.variant()), r.message(), due.get(0), 1, tag, email);
        return new StepPreview(sequenceId, stepId, subject.subscriberId(), config.type(), r.message(),
                channel.requestBody(config, delivery), skip, r.zone(), due, r.variant());
    }

    /**
     * Sends step {@code stepId}, rendered for {@code subject}, now to the tester {@code to} (a recipient of the
     * step's channel type: {@link ChannelRules#testRecipient}); {@code requireAllowedUrl} refuses a URL the
     * account may not reach. One attempt, no retry; nothing is written.
     * @throws TooManyTestSends past the account's limit, before anything is sent
     */
    public TestSendResult testSend(String account, String sequenceId, String stepId, PreviewSubject subject,
                                   String to, Consumer<URI> requireAllowedUrl) {
        Rendering r = rendering(account, sequenceId, stepId, subject);
        TestRecipient recipient = channels.testRecipient(r.step().route().first(r.sequence().channel()), to);
        recipient.channel().tenantUrl().ifPresent(requireAllowedUrl);
        Optional<Duration> wait = limit.take(account, r.now());
        if (wait.isPresent()) {
            throw new TooManyTestSends(limit.limit(), limit.window(), wait.get());
        }
        // A fresh id per test: a retried request with the same Idempotency-Key is answered without a second send.
        DeliveryId id = new DeliveryId("tst_" + HexFormat.of().formatHex(bytes(16)));
        DeliveryTarget target = new DeliveryTarget.TestSend(account, sequenceId, stepId,
                recipient.recipientId().orElse(subject.subscriberId()));
        Delivery delivery = new Delivery(id, target, r.message(), r.now(), 1, r.step().messaging().tag(),
                recipient.email());
        SendResult result = channel.send(recipient.channel(), delivery);
        boolean delivered = result instanceof SendResult.Sent;
        return new TestSendResult(sequenceId, stepId, recipient.channel().type(), to, id.value(), delivered,
                detail(result));
    }

    private byte[] bytes(int n) {
        byte[] out = new byte[n];
        random.nextBytes(out);
        return out;
    }

    private static String detail(SendResult result) {
        if (result instanceof SendResult.Sent sent) {
            return sent.detail();
        }
        if (result instanceof SendResult.TransientFailure failure) {
            return failure.reason();
        }
        if (result instanceof SendResult.PermanentFailure failure) {
            return failure.reason();
        }
        return ((SendResult.RecipientGone) result).reason();
    }

    /**
     * The sequence, step, profile, zone and rendered message of one request, with the variant (or split path) the
     * subscriber gets there and, for a split, the step the path goes to.
     */
    private record Rendering(Sequence sequence, Step step, EnrollmentKey key, Optional<Subscriber> profile, ZoneId zone,
                             Instant now, String message, Optional<String> variant, Optional<String> path) {}

    private Rendering rendering(String account, String sequenceId, String stepId, PreviewSubject subject) {
        Sequence sequence = sequences.find(account, sequenceId).map(Stored::value)
                .orElseThrow(() -> new NotFound("sequence " + sequenceId));
        Step step = sequence.indexOf(stepId).map(sequence::step)
                .orElseThrow(() -> new NotFound("step " + stepId + " of sequence " + sequenceId));
        Instant now = clock.instant();
        Optional<Subscriber> profile = profile(account, subject, now);
        Optional<ZoneId> subscriberZone = profile.flatMap(Subscriber::timezone);
        ZoneId zone = NextSendTime.zone(subscriberZone, sequence);
        EnrollmentKey key = new EnrollmentKey(account, sequenceId, subject.subscriberId());
        Enrollment enrollment = Enrollment.start(key, 1, step, now, now, "preview", subscriberZone,
                Origin.host(subject.data()));
        TemplateValues values = TemplateValues.forStep(enrollment, stepId,
                profile.map(Subscriber::attributes).orElseThrow(), zone, now);
        Assignment.Unit unit = Assignment.step(account, sequenceId, subject.subscriberId(), stepId);
        Optional<String> path = step.experiment().pathFor(unit).map(SplitPath::goTo);
        Optional<String> variant = path.or(() -> step.experiment().variantFor(unit).map(Variant::id));
        String message;
        try {
            message = NamedRender.renderMessage(step.messageFor(unit), values);
        } catch (TemplateFailure failure) {
            throw new RenderFailed("message", "cannot be rendered: " + failure.described());
        }
        Optional<String> refused = channels.refuseRendered(step.route().first(sequence.channel()), message);
        if (refused.isPresent()) {
            throw new RenderFailed("message", "renders a message the channel refuses: " + refused.get());
        }
        return new Rendering(sequence, step, key, profile, zone, now, message, variant, path);
    }

    private Optional<Subscriber> profile(String account, PreviewSubject subject, Instant now) {
        if (subject instanceof PreviewSubject.Stored stored) {
            return Optional.of(subscribers.find(account, stored.subscriberId()).map(Stored::value)
                    .orElseThrow(() -> new NotFound("subscriber " + stored.subscriberId())));
        }
        PreviewSubject.Inline inline = (PreviewSubject.Inline) subject;
        return Optional.of(Subscriber.create(account, inline.subscriberId(), now)
                .updated(inline.attributes(), inline.timezone(), now));
    }
}
