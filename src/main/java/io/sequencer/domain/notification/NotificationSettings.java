package io.sequencer.domain.notification;

import io.sequencer.domain.Ids;
import java.net.URI;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Where an account wants its lifecycle events: the URL, the app setting ({@code secretSetting}) or the account's
 * own secret ({@code secret}) holding the signing secret, the event
 * types it wants, and how delivery has gone lately ({@code lastError} and {@code failingSince} while the
 * endpoint fails).
 */
public record NotificationSettings(String account, URI url, Optional<String> secretSetting, Set<NoticeType> events,
                                   Instant createdAt, Instant updatedAt, Optional<String> lastError,
                                   Optional<Instant> failingSince, Optional<Instant> lastDeliveredAt,
                                   Optional<String> secret) {
    public static final int MAX_ERROR = 300;

    /** Signed with an app setting's secret, if any. */
    public NotificationSettings(String account, URI url, Optional<String> secretSetting, Set<NoticeType> events,
                                Instant createdAt, Instant updatedAt, Optional<String> lastError,
                                Optional<Instant> failingSince, Optional<Instant> lastDeliveredAt) {
        this(account, url, secretSetting, events, createdAt, updatedAt, lastError, failingSince, lastDeliveredAt,
                Optional.empty());
    }

    public NotificationSettings {
        Ids.require("account", account);
        if (url == null || secretSetting == null || events == null || events.isEmpty() || createdAt == null
                || updatedAt == null || lastError == null || failingSince == null || lastDeliveredAt == null
                || secret == null) {
            throw new IllegalArgumentException("url, a non-empty event set and timestamps are required");
        }
        if (secretSetting.isPresent() && secret.isPresent()) {
            throw new IllegalArgumentException("name secret or secretSetting, not both");
        }
        events = Collections.unmodifiableSet(EnumSet.copyOf(events));
        lastError = lastError.map(e -> e.length() > MAX_ERROR ? e.substring(0, MAX_ERROR) : e);
    }

    public boolean wants(NoticeType type) {
        return events.contains(type);
    }

    /** The same destination with a new definition; delivery health carries over. */
    public NotificationSettings redefined(URI newUrl, Optional<String> newSecret, Set<NoticeType> newEvents, Instant now) {
        return redefined(newUrl, newSecret, Optional.empty(), newEvents, now);
    }

    /** The same destination with a new definition, signed with an app setting's or an account secret. */
    public NotificationSettings redefined(URI newUrl, Optional<String> newSecretSetting, Optional<String> newSecret,
                                          Set<NoticeType> newEvents, Instant now) {
        return new NotificationSettings(account, newUrl, newSecretSetting, newEvents, createdAt, now, lastError,
                failingSince, lastDeliveredAt, newSecret);
    }

    public NotificationSettings failed(String error, Instant now) {
        return new NotificationSettings(account, url, secretSetting, events, createdAt, updatedAt, Optional.of(error),
                failingSince.or(() -> Optional.of(now)), lastDeliveredAt, secret);
    }

    public NotificationSettings delivered(Instant now) {
        return new NotificationSettings(account, url, secretSetting, events, createdAt, updatedAt, Optional.empty(),
                Optional.empty(), Optional.of(now), secret);
    }

    public boolean isFailing() {
        return failingSince.isPresent();
    }
}
