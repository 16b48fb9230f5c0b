package io.sequencer.engine.notification;

import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.notification.NoticeDraft;
import io.sequencer.domain.notification.Notices;
import io.sequencer.domain.notification.NotificationSettings;
import io.sequencer.domain.notification.Outbox;
import io.sequencer.engine.Stored;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Puts the lifecycle events of an enrollment's state change into its outbox, for accounts that want them, and
 * signals the notice queue before the caller writes the enrollment: the change and its events are stored in
 * one write, so a crash can lose neither without the other. The signal names the last event that write holds.
 * Settings are cached for {@link #SETTINGS_TTL}, so the tick path pays no extra read; a changed subscription
 * applies within that time.
 */
public final class LifecycleNotices {
    static final Duration SETTINGS_TTL = Duration.ofSeconds(30);
    /** Accounts without notifications: no outbox, no signal, no cost. */
    public static final LifecycleNotices OFF = new LifecycleNotices(null, null, Clock.systemUTC());

    private final NotificationSettingsStore settings;
    private final NoticeQueue queue;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public LifecycleNotices(NotificationSettingsStore settings, NoticeQueue queue, Clock clock) {
        this.settings = settings;
        this.queue = queue;
        this.clock = clock;
    }

    private record Cached(Optional<NotificationSettings> settings, Instant until) {}

    /** {@code after} with the events since {@code before} added to the outbox it inherits from {@code before}. */
    public Enrollment stamp(Optional<Enrollment> before, Enrollment after) {
        Outbox inherited = before.map(Enrollment::outbox).orElse(Outbox.EMPTY);
        if (settings == null) {
            return after.withOutbox(inherited);
        }
        Optional<NotificationSettings> wanted = settingsOf(after.key().account());
        List<NoticeDraft> drafts = wanted.isEmpty() ? List.of() : Notices.between(before, after).stream()
                .filter(d -> wanted.get().wants(d.type())).toList();
        if (drafts.isEmpty()) {
            return after.withOutbox(inherited);
        }
        Outbox filled = inherited.plus(after.key(), drafts);
        queue.signal(after.key(), filled.lastSequence());
        return after.withOutbox(filled);
    }

    /** The account's settings, at most {@link #SETTINGS_TTL} old. */
    public Optional<NotificationSettings> settingsOf(String account) {
        Instant now = clock.instant();
        Cached cached = cache.get(account);
        if (cached == null || !now.isBefore(cached.until())) {
            cached = new Cached(settings.find(account).map(Stored::value), now.plus(SETTINGS_TTL));
            cache.put(account, cached);
        }
        return cached.settings();
    }

    /** Forgets the cached settings of {@code account} (this process changed them). */
    void forget(String account) {
        cache.remove(account);
    }
}
