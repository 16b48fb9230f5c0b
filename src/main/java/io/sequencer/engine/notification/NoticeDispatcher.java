package io.sequencer.engine.notification;

import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.notification.Notice;
import io.sequencer.domain.notification.NotificationSettings;
import io.sequencer.domain.notification.Outbox;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import io.sequencer.engine.enrollment.EnrollmentStore;
import io.sequencer.engine.send.SendResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Delivers lifecycle events: takes signals from the notice queue, reads the outboxes they point at, POSTs the
 * events per account in batches of up to {@link #MAX_BATCH} (in outbox order, so each enrollment's events stay
 * in sequence), then removes what was delivered. At least once: a crash after the POST sends the same events
 * again, with the same ids. A failing endpoint keeps its events in their outboxes, its signals come back with
 * growing delays, and its failure is recorded in the account's settings; other accounts are not held up.
 *
 * <p>A signal is queued before the write it announces, so it can be taken before that write lands. It is retired
 * only once the enrollment as last read holds its events ({@code lastSequence >= upTo}) and none of them is still
 * pending; otherwise it is shown again shortly, and given up (logged) only when its write had minutes to land and
 * did not (the writer died, or lost a race and signalled again). When the write landed first, as it nearly always
 * does, this costs nothing more; a signal taken early costs one queue update and, when it shows again, one read.
 */
public final class NoticeDispatcher {
    static final int MAX_BATCH = 100;
    /** Signals taken per queue read (the queue's maximum). */
    static final int RECEIVE = 32;
    /** How long a taken signal stays hidden: a dispatcher that dies gives its signals back after this. */
    static final Duration LEASE = Duration.ofMinutes(2);
    static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    static final Duration MAX_RETRY = Duration.ofHours(1);
    private static final int MAX_RACES = 5;
    /** Receives of a signal whose write has not landed before it is given up: it waited 5 + 10 + ... + 160 s. */
    static final int LANDING_RECEIVES = 7;
    private static final Logger LOG = Logger.getLogger(NoticeDispatcher.class.getName());

    private final NoticeQueue queue;
    private final EnrollmentStore enrollments;
    private final NotificationSettingsStore settings;
    private final NoticeSender sender;
    private final Clock clock;

    public NoticeDispatcher(NoticeQueue queue, EnrollmentStore enrollments, NotificationSettingsStore settings,
                            NoticeSender sender, Clock clock) {
        this.queue = queue;
        this.enrollments = enrollments;
        this.settings = settings;
        this.sender = sender;
        this.clock = clock;
    }

    /** What one drain did. */
    public record Run(int signals, int delivered, int failedAccounts) {}

    /** Works through visible signals until there are none or {@code budget} is spent. */
    public Run drain(Duration budget) {
        Instant deadline = clock.instant().plus(budget);
        int signals = 0;
        int delivered = 0;
        int failed = 0;
        while (clock.instant().isBefore(deadline)) {
            List<NoticeQueue.Signal> taken = queue.receive(RECEIVE, LEASE);
            if (taken.isEmpty()) {
                break;
            }
            signals += taken.size();
            Run run = deliver(taken);
            delivered += run.delivered();
            failed += run.failedAccounts();
        }
        return new Run(signals, delivered, failed);
    }

    /** One enrollment as read, its pending events, and the signals that pointed at it. */
    private record Pending(EnrollmentKey key, Stored<Enrollment> read, List<Notice> notices,
                           List<NoticeQueue.Signal> signals) {}

    private Run deliver(List<NoticeQueue.Signal> taken) {
        Map<EnrollmentKey, List<NoticeQueue.Signal>> byKey = new LinkedHashMap<>();
        taken.forEach(s -> byKey.computeIfAbsent(s.key(), k -> new ArrayList<>()).add(s));
        Map<String, List<Pending>> byAccount = new LinkedHashMap<>();
        byKey.forEach((key, signals) -> {
            Optional<Stored<Enrollment>> read = enrollments.find(key);
            List<Notice> pending = read.map(s -> s.value().outbox().pending()).orElse(List.of());
            if (pending.isEmpty()) {
                settle(signals, read.map(s -> s.value().outbox()));
            } else {
                byAccount.computeIfAbsent(key.account(), a -> new ArrayList<>())
                        .add(new Pending(key, read.get(), pending, signals));
            }
        });
        int delivered = 0;
        int failed = 0;
        for (Map.Entry<String, List<Pending>> account : byAccount.entrySet()) {
            int sent = deliverAccount(account.getKey(), account.getValue());
            if (sent < 0) {
                failed++;
            } else {
                delivered += sent;
            }
        }
        return new Run(taken.size(), delivered, failed);
    }

    /** Delivers one account's events; returns how many, or -1 when its endpoint failed. */
    private int deliverAccount(String account, List<Pending> pending) {
        Optional<Stored<NotificationSettings>> stored = settings.find(account);
        if (stored.isEmpty()) {
            // Notifications were turned off: what waits is no longer wanted.
            pending.forEach(p -> settle(p.signals(), clearUpTo(p, Long.MAX_VALUE)));
            return 0;
        }
        NotificationSettings config = stored.get().value();
        List<Map.Entry<EnrollmentKey, Notice>> events = new ArrayList<>();
        for (Pending p : pending) {
            p.notices().stream().filter(n -> config.wants(n.type())).forEach(n -> events.add(Map.entry(p.key(), n)));
        }
        Map<EnrollmentKey, Long> deliveredUpTo = new HashMap<>();
        String failure = null;
        Duration retryAfter = null;
        for (int from = 0; from < events.size() && failure == null; from += MAX_BATCH) {
            List<Map.Entry<EnrollmentKey, Notice>> batch = events.subList(from, Math.min(events.size(), from + MAX_BATCH));
            SendResult result = sender.send(config, batch);
            if (result instanceof SendResult.Sent) {
                batch.forEach(e -> deliveredUpTo.merge(e.getKey(), e.getValue().sequence(), Math::max));
            } else if (result instanceof SendResult.TransientFailure transientFailure) {
                failure = transientFailure.reason();
                retryAfter = transientFailure.retryAfter();
            } else {
                failure = ((SendResult.PermanentFailure) result).reason();
            }
        }
        int sent = 0;
        for (Pending p : pending) {
            long lastPending = p.notices().get(p.notices().size() - 1).sequence();
            // Events of types no longer wanted count as delivered.
            long upTo = failure == null ? lastPending : deliveredUpTo.getOrDefault(p.key(), 0L);
            if (failure == null) {
                settle(p.signals(), clearUpTo(p, upTo));
            } else {
                if (upTo > 0) {
                    clearUpTo(p, upTo);
                }
                Duration delay = retryDelay(p.signals(), retryAfter);
                p.signals().forEach(s -> queue.retryLater(s, delay));
            }
            sent += (int) p.notices().stream().filter(n -> n.sequence() <= upTo && config.wants(n.type())).count();
        }
        recordHealth(stored.get(), failure);
        return failure == null ? sent : -1;
    }

    /**
     * Removes events up to {@code upTo} from the enrollment's outbox and returns the outbox as last known (empty:
     * no enrollment). The write is tried on the enrollment as first read; only a concurrent change costs another
     * read, and that read may show events written after the first one.
     */
    private Optional<Outbox> clearUpTo(Pending pending, long upTo) {
        Optional<Stored<Enrollment>> current = Optional.of(pending.read());
        for (int race = 0; race < MAX_RACES && current.isPresent(); race++) {
            Outbox outbox = current.get().value().outbox();
            Outbox cleared = outbox.deliveredUpTo(upTo);
            if (cleared.pending().size() == outbox.pending().size()) {
                return Optional.of(outbox);
            }
            try {
                enrollments.replace(current.get(), current.get().value().withOutbox(cleared));
                return Optional.of(cleared);
            } catch (StaleWrite lostRace) {
                // A tick or an event wrote meanwhile: remove from the new state.
                current = enrollments.find(pending.key());
            }
        }
        return current.map(s -> s.value().outbox());
    }

    /**
     * Retires each signal whose events {@code known} (the outbox as last read or written; empty: no enrollment,
     * whose create may still be on its way) holds and no longer has pending. A signal whose events came with a
     * write after the read shows again soon; one whose write has not landed waits, doubling, for a few minutes.
     */
    private void settle(List<NoticeQueue.Signal> signals, Optional<Outbox> known) {
        long written = known.map(Outbox::lastSequence).orElse(0L);
        for (NoticeQueue.Signal signal : signals) {
            if (signal.upTo() <= written) {
                if (known.map(o -> o.pending().stream().anyMatch(n -> n.sequence() <= signal.upTo())).orElse(false)) {
                    queue.retryLater(signal, FIRST_RETRY);
                } else {
                    queue.done(signal);
                }
            } else if (signal.dequeueCount() < LANDING_RECEIVES) {
                queue.retryLater(signal, retryDelay(List.of(signal), null));
            } else {
                LOG.warning("notice signal for " + signal.key() + " retired after " + signal.dequeueCount()
                        + " receives: the write of its events up to " + signal.upTo() + " never landed (the outbox "
                        + "holds up to " + written + "); a writer that retried signalled again");
                queue.done(signal);
            }
        }
    }

    /** 5 s doubling per receive of the signal, at most an hour, or the endpoint's {@code Retry-After}. */
    static Duration retryDelay(List<NoticeQueue.Signal> signals, Duration retryAfter) {
        long attempts = signals.stream().mapToLong(NoticeQueue.Signal::dequeueCount).max().orElse(1);
        Duration backoff = FIRST_RETRY.multipliedBy(1L << Math.min(20, Math.max(0, attempts - 1)));
        Duration delay = backoff.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : backoff;
        if (retryAfter != null && retryAfter.compareTo(delay) > 0) {
            delay = retryAfter.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retryAfter;
        }
        return delay;
    }

    /** Records a failure (or the end of one) in the account's settings; written only when that changes. */
    private void recordHealth(Stored<NotificationSettings> stored, String failure) {
        NotificationSettings current = stored.value();
        Instant now = clock.instant();
        NotificationSettings next;
        if (failure != null) {
            if (current.lastError().equals(Optional.of(failure.length() > NotificationSettings.MAX_ERROR
                    ? failure.substring(0, NotificationSettings.MAX_ERROR) : failure))) {
                return;
            }
            next = current.failed(failure, now);
        } else if (current.isFailing() || current.lastDeliveredAt().isEmpty()) {
            next = current.delivered(now);
        } else {
            return;
        }
        try {
            settings.replace(next, stored.etag());
        } catch (StaleWrite changed) {
            // Redefined meanwhile: the next delivery records its health.
        }
    }
}
