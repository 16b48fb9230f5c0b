package io.sequencer.adapters.azure;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableServiceException;
import io.sequencer.domain.NoticeType;
import io.sequencer.domain.NotificationSettings;
import io.sequencer.engine.NotificationSettingsStore;
import io.sequencer.engine.Stored;
import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** Notification settings in Azure Table storage: partition = account, one row. */
public final class TableNotificationSettingsStore implements NotificationSettingsStore {
    private static final String ROW = "settings";
    private final EntityTable table;

    public TableNotificationSettingsStore(TableClient table) {
        this.table = new EntityTable(table);
    }

    @Override
    public Optional<Stored<NotificationSettings>> find(String account) {
        return table.find(TableKeys.of(account), ROW).map(e -> new Stored<>(fromEntity(account, e), e.getETag()));
    }

    @Override
    public void create(NotificationSettings settings) {
        table.create("notification settings of " + settings.account(), toEntity(settings));
    }

    @Override
    public void replace(NotificationSettings settings, String etag) {
        table.replace("notification settings of " + settings.account(), toEntity(settings), etag);
    }

    @Override
    public void delete(String account) {
        try {
            table.client().deleteEntity(TableKeys.of(account), ROW);
        } catch (TableServiceException e) {
            if (e.getResponse().getStatusCode() != 404) {
                throw e;
            }
        }
    }

    private static TableEntity toEntity(NotificationSettings s) {
        TableEntity entity = new TableEntity(TableKeys.of(s.account()), ROW)
                .addProperty("url", s.url().toString())
                .addProperty("events", s.events().stream().map(NoticeType::wireName).collect(Collectors.joining(",")))
                .addProperty("createdAt", s.createdAt().toString())
                .addProperty("updatedAt", s.updatedAt().toString());
        s.secretSetting().ifPresent(v -> entity.addProperty("secretSetting", v));
        s.secret().ifPresent(v -> entity.addProperty("secret", v));
        s.lastError().ifPresent(v -> entity.addProperty("lastError", v));
        s.failingSince().ifPresent(v -> entity.addProperty("failingSince", v.toString()));
        s.lastDeliveredAt().ifPresent(v -> entity.addProperty("lastDeliveredAt", v.toString()));
        return entity;
    }

    private static NotificationSettings fromEntity(String account, TableEntity e) {
        return new NotificationSettings(account,
                URI.create((String) e.getProperty("url")),
                Optional.ofNullable((String) e.getProperty("secretSetting")),
                Arrays.stream(((String) e.getProperty("events")).split(","))
                        .map(n -> NoticeType.fromWireName(n).orElseThrow()).collect(Collectors.toSet()),
                Instant.parse((String) e.getProperty("createdAt")),
                Instant.parse((String) e.getProperty("updatedAt")),
                Optional.ofNullable((String) e.getProperty("lastError")),
                Optional.ofNullable((String) e.getProperty("failingSince")).map(Instant::parse),
                Optional.ofNullable((String) e.getProperty("lastDeliveredAt")).map(Instant::parse),
                Optional.ofNullable((String) e.getProperty("secret")));
    }
}
