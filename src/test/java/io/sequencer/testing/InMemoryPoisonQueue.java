package io.sequencer.testing;

import io.sequencer.domain.timer.Tick;
import io.sequencer.engine.poison.PoisonQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An in-memory poison queue on a test clock, with claim leases as a storage queue has them. Holds ticks, and
 * messages that are not ticks (which a real poison queue may hold: anything the host could not process).
 */
public final class InMemoryPoisonQueue implements PoisonQueue {
    private static final class Message {
        final Optional<Tick> tick;
        Instant visibleAt;
        long lease;

        Message(Optional<Tick> tick, Instant visibleAt) {
            this.tick = tick;
            this.visibleAt = visibleAt;
        }
    }

    private final Clock clock;
    private final List<Message> messages = new ArrayList<>();
    private long leases;

    public InMemoryPoisonQueue(Clock clock) {
        this.clock = clock;
    }

    /** A tick the host moved here after its last failed attempt. */
    public synchronized void put(Tick tick) {
        messages.add(new Message(Optional.of(tick), clock.instant()));
    }

    /** A message that is not a tick. */
    public synchronized void putUnreadable() {
        messages.add(new Message(Optional.empty(), clock.instant()));
    }

    @Override
    public synchronized List<Claim> claim(int max, Duration lease) {
        Instant now = clock.instant();
        List<Claim> claims = new ArrayList<>();
        for (Message m : messages.stream().filter(m -> !m.visibleAt.isAfter(now)).limit(max).toList()) {
            m.visibleAt = now.plus(lease);
            m.lease = ++leases;
            claims.add(new Claim(m.tick.map(List::of).orElse(List.of()), m.lease));
        }
        return claims;
    }

    @Override
    public synchronized void remove(Claim claim) {
        if (!messages.removeIf(m -> m.lease == (long) claim.receipt())) {
            throw new IllegalStateException("the claim's lease expired and was taken by another sweep");
        }
    }

    @Override
    public synchronized void setAside(Claim claim, Duration hidden) {
        messages.stream().filter(m -> m.lease == (long) claim.receipt()).findFirst()
                .orElseThrow(() -> new IllegalStateException("the claim's lease expired"))
                .visibleAt = clock.instant().plus(hidden);
    }

    /** Every message, visible or not. */
    public synchronized int size() {
        return messages.size();
    }
}
