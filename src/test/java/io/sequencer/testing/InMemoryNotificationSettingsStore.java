package io.sequencer.testing;

import io.sequencer.domain.notification.NotificationSettings;
import io.sequencer.engine.AlreadyExists;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import io.sequencer.engine.notification.NotificationSettingsStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** In-memory {@link NotificationSettingsStore} with ETags. */
public final class InMemoryNotificationSettingsStore implements NotificationSettingsStore {
    private final Map<String, Stored<NotificationSettings>> rows = new ConcurrentHashMap<>();
    private final AtomicLong etags = new AtomicLong();

    @Override
    public Optional<Stored<NotificationSettings>> find(String account) {
        return Optional.ofNullable(rows.get(account));
    }

    @Override
    public synchronized void create(NotificationSettings settings) {
        if (rows.putIfAbsent(settings.account(), stored(settings)) != null) {
            throw new AlreadyExists("notification settings of " + settings.account());
        }
    }

    @Override
    public synchronized void replace(NotificationSettings settings, String etag) {
        Stored<NotificationSettings> current = rows.get(settings.account());
        if (current == null || !current.etag().equals(etag)) {
            throw new StaleWrite("notification settings of " + settings.account());
        }
        rows.put(settings.account(), stored(settings));
    }

    @Override
    public void delete(String account) {
        rows.remove(account);
    }

    private Stored<NotificationSettings> stored(NotificationSettings settings) {
        return new Stored<>(settings, "W/\"" + etags.incrementAndGet() + "\"");
    }
}
