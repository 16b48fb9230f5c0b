package io.sequencer.adapters.azure;

import com.azure.data.tables.models.TableEntity;
import io.sequencer.adapters.json.stored.StoredBroadcast;
import io.sequencer.domain.broadcast.AudienceMember;
import io.sequencer.engine.StaleWrite;
import java.util.List;
import java.util.Optional;

/**
 * Takes one subscriber out of a broadcast's rows: their recipient row is deleted, and each listed page naming them
 * is rewritten without them under the ETag it was read with (a lost race reads it again). The other members keep
 * their page, so a fan-out of the pages is not shifted; the counts stay as they are.
 */
final class BroadcastForgetting {
    private static final int MAX_RACES = 5;

    private BroadcastForgetting() {}

    static void forget(EntityTable table, String recipientPartition, String home, List<String> listedRows,
                       String subscriberId) {
        table.deleteIfPresent(recipientPartition, TableKeys.of(subscriberId));
        for (String row : listedRows) {
            removeListed(table, home, row, subscriberId);
        }
    }

    private static void removeListed(EntityTable table, String partition, String row, String subscriberId) {
        for (int race = 0; ; race++) {
            Optional<TableEntity> stored = table.find(partition, row);
            if (stored.isEmpty()) {
                return;
            }
            List<AudienceMember> members = StoredBroadcast.readMembers(partition + "/" + row,
                    stored.get().getProperties());
            List<AudienceMember> kept = members.stream().filter(m -> !m.subscriberId().equals(subscriberId)).toList();
            if (kept.size() == members.size()) {
                return;
            }
            TableEntity rewritten = new TableEntity(partition, row);
            StoredBroadcast.writeMembers(kept).forEach(rewritten::addProperty);
            try {
                table.replace("listed page " + row + " of " + partition, rewritten, stored.get().getETag());
                return;
            } catch (StaleWrite changed) {
                if (race + 1 >= MAX_RACES) {
                    throw changed;
                }
            }
        }
    }
}
