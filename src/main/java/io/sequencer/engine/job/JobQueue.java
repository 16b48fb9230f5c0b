package io.sequencer.engine.job;

import java.time.Instant;

/** Port: the pages of bulk jobs, delivered at least once, not before {@code at}. */
public interface JobQueue {
    void page(JobPage page, Instant at);
}
