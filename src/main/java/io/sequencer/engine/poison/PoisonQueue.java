package io.sequencer.engine.poison;

import io.sequencer.domain.timer.Tick;
import java.time.Duration;
import java.util.List;

/**
 * Port: a poison queue, where messages end that failed too often (the tick queue's) or could not be read (the
 * parking queue's). Nothing is triggered by it; the poison sweeper drains it.
 */
public interface PoisonQueue {

    /**
     * Up to {@code max} visible messages, each hidden from other readers for {@code lease}, with the ticks each
     * holds (one, or a group's). A message that holds no tick (in any form this version reads) comes with none.
     */
    List<Claim> claim(int max, Duration lease);

    /** Deletes a claimed message: its tick is kept elsewhere now. */
    void remove(Claim claim);

    /**
     * Leaves a claimed message that is not a tick in the queue for a person to look at, hidden for
     * {@code hidden} so that sweeps do not read it again and again; says so once in the log.
     */
    void setAside(Claim claim, Duration hidden);

    /** One claimed message; {@code receipt} identifies the claim to the queue. */
    record Claim(List<Tick> ticks, Object receipt) {}
}
