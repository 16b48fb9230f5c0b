package io.sequencer.adapters.azure;

import com.azure.core.util.Context;
import com.azure.storage.queue.QueueClient;
import java.time.Duration;

/** How this app puts messages on its queues: none of them may expire unseen. */
final class QueueMessages {
    /**
     * A time-to-live of -1: the message stays until it is deleted. The service's default is 7 days, after which a
     * timer, a notice or a poisoned message would vanish without a trace.
     */
    static final Duration NEVER_EXPIRE = Duration.ofSeconds(-1);

    private QueueMessages() {}

    /** Puts {@code text} on {@code queue}, visible at once and kept until deleted (a poisoned message, for instance). */
    static void keep(QueueClient queue, String text) {
        queue.sendMessageWithResponse(text, Duration.ZERO, NEVER_EXPIRE, null, Context.NONE);
    }
}
