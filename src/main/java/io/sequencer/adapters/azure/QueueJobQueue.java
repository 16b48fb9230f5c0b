package io.sequencer.adapters.azure;

import com.azure.core.util.Context;
import com.azure.storage.queue.QueueClient;
import io.sequencer.adapters.json.JobJson;
import io.sequencer.domain.timer.TimerDelay;
import io.sequencer.engine.job.JobPage;
import io.sequencer.engine.job.JobQueue;
import java.time.Clock;
import java.time.Instant;

/** The pages of bulk jobs on a storage queue (base64, as the trigger reads it), hidden until due, never expiring. */
public final class QueueJobQueue implements JobQueue {
    private final QueueClient queue;
    private final Clock clock;

    public QueueJobQueue(QueueClient queue, Clock clock) {
        this.queue = queue;
        this.clock = clock;
    }

    @Override
    public void page(JobPage page, Instant at) {
        queue.sendMessageWithResponse(JobJson.encodePage(page), TimerDelay.until(clock.instant(), at),
                QueueMessages.NEVER_EXPIRE, null, Context.NONE);
    }
}
