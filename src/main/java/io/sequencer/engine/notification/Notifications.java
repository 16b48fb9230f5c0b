package io.sequencer.engine.notification;

import io.sequencer.domain.Ids;
import io.sequencer.domain.notification.NoticeType;
import io.sequencer.domain.notification.NotificationSettings;
import io.sequencer.engine.AlreadyExists;
import io.sequencer.engine.Conflict;
import io.sequencer.engine.NotFound;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** Use cases on an account's lifecycle notifications: subscribe (create or replace), read, turn off. */
public final class Notifications {
    private static final int MAX_RACES = 5;

    private final NotificationSettingsStore store;
    private final LifecycleNotices notices;
    private final Clock clock;

    public Notifications(NotificationSettingsStore store, LifecycleNotices notices, Clock clock) {
        this.store = store;
        this.notices = notices;
        this.clock = clock;
    }

    /** The settings and whether this call created them. */
    public record Defined(NotificationSettings settings, boolean created) {}

    /** Sends {@code events} of the account to {@code url} from now on; delivery health is kept across changes. */
    public Defined define(String account, URI url, Optional<String> secretSetting, Set<NoticeType> events) {
        return define(account, url, secretSetting, Optional.empty(), events);
    }

    /** As {@link #define(String, URI, Optional, Set)}, signed with the account's own secret {@code secret} if named. */
    public Defined define(String account, URI url, Optional<String> secretSetting, Optional<String> secret,
                          Set<NoticeType> events) {
        Ids.require("account", account);
        for (int race = 0; race < MAX_RACES; race++) {
            Instant now = clock.instant();
            Optional<Stored<NotificationSettings>> current = store.find(account);
            try {
                Defined defined;
                if (current.isEmpty()) {
                    NotificationSettings created = new NotificationSettings(account, url, secretSetting, events, now, now,
                            Optional.empty(), Optional.empty(), Optional.empty(), secret);
                    store.create(created);
                    defined = new Defined(created, true);
                } else {
                    NotificationSettings replaced = current.get().value().redefined(url, secretSetting, secret, events,
                            now);
                    store.replace(replaced, current.get().etag());
                    defined = new Defined(replaced, false);
                }
                notices.forget(account);
                return defined;
            } catch (AlreadyExists | StaleWrite lostRace) {
                // Changed meanwhile: apply ours on top.
            }
        }
        throw new Conflict("notification settings of " + account + " are changing concurrently; try again");
    }

    public NotificationSettings get(String account) {
        Ids.require("account", account);
        return store.find(account).map(Stored::value)
                .orElseThrow(() -> new NotFound("notification settings of account " + account));
    }

    /** Turns notifications off; events still waiting are dropped at their next delivery attempt. */
    public void delete(String account) {
        Ids.require("account", account);
        store.delete(account);
        notices.forget(account);
    }
}
