package io.sequencer.adapters.json.stored;

import io.sequencer.domain.notification.NoticeType;
import io.sequencer.domain.notification.NotificationSettings;
import java.net.URI;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An account's notification settings as one table row: {@code url}, {@code events} (comma-separated),
 * {@code createdAt}, {@code updatedAt}, and optionally {@code secretSetting}, {@code secret}, {@code lastError},
 * {@code failingSince} and {@code lastDeliveredAt}. Version 0 rows (no {@code v}) hold the same properties.
 */
public final class StoredNotificationSettings {
    private StoredNotificationSettings() {}

    public static Map<String, Object> write(NotificationSettings s) {
        return new RowWriter()
                .put("url", s.url().toString())
                // In declaration order, so the same settings always store the same text.
                .put("events", EnumSet.copyOf(s.events()).stream().map(NoticeType::wireName)
                        .collect(Collectors.joining(",")))
                .put("createdAt", s.createdAt().toString())
                .put("updatedAt", s.updatedAt().toString())
                .put("secretSetting", s.secretSetting())
                .put("secret", s.secret())
                .put("lastError", s.lastError())
                .put("failingSince", s.failingSince())
                .put("lastDeliveredAt", s.lastDeliveredAt())
                .properties();
    }

    public static NotificationSettings read(String account, Map<String, Object> properties) {
        StoredRow row = new StoredRow("notification settings of " + account, properties);
        Set<NoticeType> events = Arrays.stream(row.text("events").split(","))
                .map(name -> row.parse("events", name, n -> NoticeType.fromWireName(n)
                        .orElseThrow(() -> new IllegalArgumentException("unknown notice type " + n))))
                .collect(Collectors.toSet());
        try {
            return new NotificationSettings(account, row.parse("url", row.text("url"), URI::create),
                    row.optionalText("secretSetting"), events, row.instant("createdAt"), row.instant("updatedAt"),
                    row.optionalText("lastError"), row.optionalInstant("failingSince"),
                    row.optionalInstant("lastDeliveredAt"), row.optionalText("secret"));
        } catch (IllegalArgumentException e) {
            throw new UnreadableStoredForm(row.what(), "settings", "cannot be read: " + e.getMessage());
        }
    }
}
