package io.sequencer.engine.broadcast;

import io.sequencer.domain.broadcast.FanOutPage;
import io.sequencer.domain.broadcast.SendChunk;
import java.time.Instant;

/**
 * Port: the timed messages of broadcasts, delivered at least once, never before {@code at} (rounded up to whole
 * seconds); a store with a shorter reach (7 days) delivers them at its reach, and the handlers see they are early.
 */
public interface BroadcastQueue {

    void fanOut(FanOutPage page, Instant at);

    void send(SendChunk chunk, Instant at);
}
