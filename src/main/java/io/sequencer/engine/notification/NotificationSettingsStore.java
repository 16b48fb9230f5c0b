package io.sequencer.engine.notification;

import io.sequencer.domain.notification.NotificationSettings;
import io.sequencer.engine.Stored;
import java.util.Optional;

/** Port: each account's notification settings, one record per account. Writes are conditional. */
public interface NotificationSettingsStore {
    Optional<Stored<NotificationSettings>> find(String account);

    /** @throws AlreadyExists when the account has settings */
    void create(NotificationSettings settings);

    /** @throws StaleWrite when the stored settings' ETag is no longer {@code etag} */
    void replace(NotificationSettings settings, String etag);

    /** Removes the account's settings; nothing when there are none. */
    void delete(String account);
}
