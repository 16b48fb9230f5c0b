package io.sequencer.adapters.azure;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import io.sequencer.adapters.json.stored.StoredNotificationSettings;
import io.sequencer.domain.notification.NotificationSettings;
import io.sequencer.engine.Stored;
import io.sequencer.engine.notification.NotificationSettingsStore;
import java.util.Optional;

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
        table.deleteIfPresent(TableKeys.of(account), ROW);
    }

    private static TableEntity toEntity(NotificationSettings s) {
        TableEntity entity = new TableEntity(TableKeys.of(s.account()), ROW);
        StoredNotificationSettings.write(s).forEach(entity::addProperty);
        return entity;
    }

    private static NotificationSettings fromEntity(String account, TableEntity e) {
        return StoredNotificationSettings.read(account, e.getProperties());
    }
}
