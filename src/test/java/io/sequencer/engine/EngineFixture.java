package io.sequencer.engine;

import io.sequencer.channel.ChannelTypes;
import io.sequencer.channel.webhook.WebhookConfig;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.sequence.Delay;
import io.sequencer.domain.sequence.DelayUnit;
import io.sequencer.domain.sequence.ReentryPolicy;
import io.sequencer.domain.sequence.SequenceDraft;
import io.sequencer.domain.sequence.SequenceRules;
import io.sequencer.domain.sequence.Step;
import io.sequencer.domain.timer.RetryBackoff;
import io.sequencer.domain.timer.Tick;
import io.sequencer.engine.enrollment.Enrollments;
import io.sequencer.engine.event.Events;
import io.sequencer.engine.notification.LifecycleNotices;
import io.sequencer.engine.notification.NoticeDispatcher;
import io.sequencer.engine.notification.Notifications;
import io.sequencer.engine.send.SendGate;
import io.sequencer.engine.sequence.SequenceCatalog;
import io.sequencer.engine.subscriber.Subscribers;
import io.sequencer.engine.subscriber.Timeline;
import io.sequencer.engine.tick.TickHandler;
import io.sequencer.engine.tick.TickOutcome;
import io.sequencer.engine.timer.TimerTokens;
import io.sequencer.testing.Budgets;
import io.sequencer.testing.InMemoryEnrollmentStore;
import io.sequencer.testing.InMemoryEventLog;
import io.sequencer.testing.InMemoryNoticeQueue;
import io.sequencer.testing.InMemoryNotificationSettingsStore;
import io.sequencer.testing.InMemorySequenceStore;
import io.sequencer.testing.InMemorySubscriberStore;
import io.sequencer.testing.InMemoryTimerQueue;
import io.sequencer.testing.RecordingChannel;
import io.sequencer.testing.RecordingNoticeSender;
import io.sequencer.testing.SteppingClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** The engine wired to in-memory ports on a stepping clock, with a loop that plays the queue trigger. */
public final class EngineFixture {
    public static final String ACCOUNT = "acme";
    public static final String SEQUENCE = "welcome";

    public final SteppingClock clock = SteppingClock.at("2026-03-01T09:00:00Z");
    public final InMemorySequenceStore sequenceStore = new InMemorySequenceStore();
    public final InMemoryEnrollmentStore enrollmentStore = new InMemoryEnrollmentStore();
    public final InMemoryTimerQueue queue = new InMemoryTimerQueue(clock);
    public final RecordingChannel channel = new RecordingChannel();
    final AtomicLong tokenCounter = new AtomicLong();
    final TimerTokens tokens = () -> "token-" + tokenCounter.incrementAndGet();
    public final InMemorySubscriberStore subscriberStore = new InMemorySubscriberStore();
    final InMemoryNotificationSettingsStore settingsStore = new InMemoryNotificationSettingsStore();
    public final InMemoryNoticeQueue noticeQueue = new InMemoryNoticeQueue(clock);
    public final RecordingNoticeSender noticeSender = new RecordingNoticeSender();
    /** Messenger's rules as deployed: a 30-minute hold after a human conversation, 300 calls/s per page. */
    final SendGate gate = new SendGate(Duration.ofMinutes(30), Budgets.of(300, 100, 1, clock), ChannelTypes.ALL.rules());
    public final InMemoryEventLog eventLog = new InMemoryEventLog();
    final Sequencer engine = builder().build();
    public final SequenceCatalog catalog = engine.sequences();
    final LifecycleNotices notices = engine.notices();
    public final Notifications notifications = engine.notifications();
    public final NoticeDispatcher dispatcher = engine.noticeDispatcher();
    public final Enrollments enrollments = engine.enrollments();
    public final Subscribers subscribers = engine.subscribers();
    public final Events events = engine.events();
    public final Timeline timeline = engine.timeline();
    public final TickHandler ticks = engine.ticks();
    public final List<TickOutcome> outcomes = new ArrayList<>();

    /** The builder of this fixture's engine, over its ports: a test replaces one port to build an engine beside it. */
    public Sequencer.Builder builder() {
        return Sequencer.builder()
                .clock(clock)
                .stores(sequenceStore, enrollmentStore, subscriberStore)
                .eventLog(eventLog)
                .timers(queue)
                .channelTypes(ChannelTypes.ALL.rules()).channel(channel)
                .tokens(tokens)
                .backoff(new RetryBackoff(Duration.ofSeconds(10), Duration.ofMinutes(5), 4))
                .gate(gate)
                .notices(settingsStore, noticeQueue)
                .noticeSender(noticeSender);
    }

    public static SequenceDraft draft(long... delaysInSeconds) {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < delaysInSeconds.length; i++) {
            steps.add(new Step("step-" + (i + 1), Delay.of(delaysInSeconds[i], DelayUnit.SECONDS), "{\"n\":" + (i + 1) + "}"));
        }
        return new SequenceDraft("Welcome", steps, new WebhookConfig(URI.create("https://host.example/hook"), Optional.empty()));
    }

    /** {@code draft} with {@code rules} of its own. */
    public static SequenceDraft withRules(SequenceDraft draft, SequenceRules rules) {
        return new SequenceDraft(draft.name(), draft.steps(), draft.channel(), draft.timezone(), draft.sendWindow(), rules);
    }

    /** {@code draft} letting subscribers enter again once they have left or completed. */
    public static SequenceDraft reenterable(SequenceDraft draft) {
        return withRules(draft, SequenceRules.NONE.withReentry(ReentryPolicy.AFTER_COMPLETION));
    }

    public static EnrollmentKey subscriber(String id) {
        return new EnrollmentKey(ACCOUNT, SEQUENCE, id);
    }

    /** Handles every tick visible now, as the trigger would, until none is left. */
    public void handleVisible() {
        Optional<Tick> next;
        while ((next = queue.takeNextVisible()).isPresent()) {
            // The trigger logs what every tick did (functions/TickLog): a path that reports nothing would fail there.
            outcomes.add(Objects.requireNonNull(ticks.handle(next.get()), "the tick's outcome"));
        }
    }

    /** Moves the clock from timer to timer, handling each, until the queue is empty or {@code limit} passes. */
    public void runFor(Duration limit) {
        Instant end = clock.instant().plus(limit);
        handleVisible();
        Optional<Instant> next;
        while ((next = queue.nextVisibleAt()).isPresent() && !next.get().isAfter(end)) {
            if (next.get().isAfter(clock.instant())) {
                clock.set(next.get());
            }
            handleVisible();
        }
    }
}
