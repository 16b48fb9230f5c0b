package io.sequencer.adapters.azure;

import com.azure.core.util.Context;
import com.azure.storage.queue.QueueClient;
import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.engine.imports.ImportQueue;
import java.io.IOException;
import java.time.Duration;

/**
 * Wakes import page jobs through a triggered storage queue: {@code {"v":1,"account","importId"}}, base64 like every
 * triggered message (see {@link StorageClients}), visible at once and never expiring. Its one home: written here and
 * read by {@link #decode}.
 */
public final class QueueImportQueue implements ImportQueue {
    private final QueueClient queue;

    public QueueImportQueue(QueueClient queue) {
        this.queue = queue;
    }

    /** What a wake names. */
    public record Wake(String account, String importId) {}

    @Override
    public void resume(String account, String importId) {
        queue.sendMessageWithResponse(encode(account, importId), Duration.ZERO, QueueMessages.NEVER_EXPIRE, null,
                Context.NONE);
    }

    /** The text of a wake, in the current format. */
    public static String encode(String account, String importId) {
        return Json.write(Json.object().put("v", 1).put("account", account).put("importId", importId));
    }

    /**
     * Reads every format there has been (version 0, before messages carried {@code v}, and version 1), ignoring fields
     * it does not know. The ids are taken as they were written, not checked again as a request's would be.
     *
     * @throws IllegalArgumentException when the text is not JSON or lacks one of them
     */
    public static Wake decode(String text) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException("an import wake is not JSON", e);
        }
        return new Wake(required(node, "account"), required(node, "importId"));
    }

    private static String required(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (!value.isTextual() || value.asText().isEmpty()) {
            throw new IllegalArgumentException("an import wake's " + field + " is missing");
        }
        return value.asText();
    }
}
