package io.sequencer.engine;

import io.sequencer.domain.ChannelConfig;
import io.sequencer.domain.Delay;
import io.sequencer.domain.DelayUnit;
import io.sequencer.domain.EnrollmentKey;
import io.sequencer.domain.ReentryPolicy;
import io.sequencer.domain.RetryBackoff;
import io.sequencer.domain.SequenceRules;
import io.sequencer.domain.SequenceDraft;
import io.sequencer.domain.Step;
import io.sequencer.domain.Tick;
import io.sequencer.testing.InMemoryEnrollmentStore;
import io.sequencer.testing.InMemoryEventLog;
import io.sequencer.testing.InMemoryNoticeQueue;
import io.sequencer.testing.InMemoryNotificationSettingsStore;
import io.sequencer.testing.InMemorySubscriberStore;
import io.sequencer.testing.RecordingNoticeSender;
import io.sequencer.testing.InMemorySequenceStore;
import io.sequencer.testing.InMemoryTimerQueue;
import io.sequencer.testing.RecordingChannel;
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
final class EngineFixture {
    static final String ACCOUNT = "acme";
    static final String SEQUENCE = "welcome";

    final SteppingClock clock = SteppingClock.at("2026-03-01T09:00:00Z");
    final InMemorySequenceStore sequenceStore = new InMemorySequenceStore();
    final InMemoryEnrollmentStore enrollmentStore = new InMemoryEnrollmentStore();
    final InMemoryTimerQueue queue = new InMemoryTimerQueue(clock);
    final RecordingChannel channel = new RecordingChannel();
    final AtomicLong tokenCounter = new AtomicLong();
    final TimerTokens tokens = () -> "token-" + tokenCounter.incrementAndGet();
    final InMemorySubscriberStore subscriberStore = new InMemorySubscriberStore();
    final InMemoryNotificationSettingsStore settingsStore = new InMemoryNotificationSettingsStore();
    final InMemoryNoticeQueue noticeQueue = new InMemoryNoticeQueue(clock);
    final RecordingNoticeSender noticeSender = new RecordingNoticeSender();
    /** Messenger's rules as deployed: a 30-minute hold after a human conversation, 300 calls/s per page. */
    final SendGate gate = new SendGate(Duration.ofMinutes(30), new SendBudget(300, 100, 1, clock));
    final InMemoryEventLog eventLog = new InMemoryEventLog();
    final Sequencer engine = builder().build();
    final SequenceCatalog catalog = engine.sequences();
    final LifecycleNotices notices = engine.notices();
    final Notifications notifications = engine.notifications();
    final NoticeDispatcher dispatcher = engine.noticeDispatcher();
    final Enrollments enrollments = engine.enrollments();
    final Subscribers subscribers = engine.subscribers();
    final Events events = engine.events();
    final Timeline timeline = engine.timeline();
    final TickHandler ticks = engine.ticks();
    final List<TickOutcome> outcomes = new ArrayList<>();

    /** The builder of this fixture's engine, over its ports: a test replaces one port to build an engine beside it. */
    Sequencer.Builder builder() {
        return Sequencer.builder()
                .clock(clock)
                .stores(sequenceStore, enrollmentStore, subscriberStore)
                .eventLog(eventLog)
                .timers(queue)
                .channel(channel)
                .tokens(tokens)
                .backoff(new RetryBackoff(Duration.ofSeconds(10), Duration.ofMinutes(5), 4))
                .gate(gate)
                .notices(settingsStore, noticeQueue)
                .noticeSender(noticeSender);
    }

    static SequenceDraft draft(long... delaysInSeconds) {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < delaysInSeconds.length; i++) {
            steps.add(new Step("step-" + (i + 1), Delay.of(delaysInSeconds[i], DelayUnit.SECONDS), "{\"n\":" + (i + 1) + "}"));
        }
        return new SequenceDraft("Welcome", steps, new ChannelConfig.Webhook(URI.create("https://host.example/hook"), Optional.empty()));
    }

    /** {@code draft} with {@code rules} of its own. */
    static SequenceDraft withRules(SequenceDraft draft, SequenceRules rules) {
        return new SequenceDraft(draft.name(), draft.steps(), draft.channel(), draft.timezone(), draft.sendWindow(), rules);
    }

    /** {@code draft} letting subscribers enter again once they have left or completed. */
    static SequenceDraft reenterable(SequenceDraft draft) {
        return withRules(draft, SequenceRules.NONE.withReentry(ReentryPolicy.AFTER_COMPLETION));
    }

    static EnrollmentKey subscriber(String id) {
        return new EnrollmentKey(ACCOUNT, SEQUENCE, id);
    }

    /** Handles every tick visible now, as the trigger would, until none is left. */
    void handleVisible() {
        Optional<Tick> next;
        while ((next = queue.takeNextVisible()).isPresent()) {
            // The trigger logs what every tick did (functions/TickLog): a path that reports nothing would fail there.
            outcomes.add(Objects.requireNonNull(ticks.handle(next.get()), "the tick's outcome"));
        }
    }

    /** Moves the clock from timer to timer, handling each, until the queue is empty or {@code limit} passes. */
    void runFor(Duration limit) {
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
