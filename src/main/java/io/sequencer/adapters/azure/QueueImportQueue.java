package io.sequencer.adapters.azure;

import com.azure.core.util.Context;
import com.azure.storage.queue.QueueClient;
import io.sequencer.adapters.json.Json;
import io.sequencer.engine.imports.ImportQueue;
import java.time.Duration;

/**
 * Wakes import page jobs through a triggered storage queue: {@code {"account","importId"}}, base64 like every
 * triggered message (see {@link StorageClients}), visible at once and never expiring.
 */
public final class QueueImportQueue implements ImportQueue {
    private final QueueClient queue;

    public QueueImportQueue(QueueClient queue) {
        this.queue = queue;
    }

    @Override
    public void resume(String account, String importId) {
        String text = Json.write(Json.object().put("account", account).put("importId", importId));
        queue.sendMessageWithResponse(text, Duration.ZERO, QueueMessages.NEVER_EXPIRE, null, Context.NONE);
    }
}
