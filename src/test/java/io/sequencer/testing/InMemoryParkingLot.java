package io.sequencer.testing;

import io.sequencer.domain.timer.ParkedTick;
import io.sequencer.domain.timer.TimerDelay;
import io.sequencer.engine.timer.ParkingLot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** An in-memory parking queue on a test clock: visibility delays and claim leases, as a storage queue has them. */
public final class InMemoryParkingLot implements ParkingLot {
    private static final class Entry {
        final ParkedTick parked;
        Instant visibleAt;
        long lease;

        Entry(ParkedTick parked, Instant visibleAt) {
            this.parked = parked;
            this.visibleAt = visibleAt;
        }
    }

    private final Clock clock;
    private final List<Entry> entries = new ArrayList<>();
    private long leases;

    public InMemoryParkingLot(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void park(ParkedTick parked, Duration visibility) {
        if (visibility.isNegative() || visibility.compareTo(TimerDelay.MAX_VISIBILITY) > 0) {
            throw new IllegalArgumentException("visibility must be 0 to 7 days, was " + visibility);
        }
        entries.add(new Entry(parked, clock.instant().plus(visibility)));
    }

    @Override
    public synchronized List<Claim> claimVisible(int max, Duration lease) {
        Instant now = clock.instant();
        List<Claim> claims = new ArrayList<>();
        for (Entry e : entries.stream().filter(e -> !e.visibleAt.isAfter(now))
                .sorted(Comparator.comparing(e -> e.visibleAt)).limit(max).toList()) {
            e.visibleAt = now.plus(lease);
            e.lease = ++leases;
            claims.add(new Claim(e.parked, new long[] {e.lease}));
        }
        return claims;
    }

    @Override
    public synchronized List<ParkedTick> peekVisible(int max) {
        Instant now = clock.instant();
        return entries.stream().filter(e -> !e.visibleAt.isAfter(now)).limit(max).map(e -> e.parked).toList();
    }

    @Override
    public synchronized boolean remove(Claim claim) {
        long lease = ((long[]) claim.receipt())[0];
        return entries.removeIf(e -> e.lease == lease);
    }

    @Override
    public synchronized long approximateCount() {
        return entries.size();
    }

    /** When the earliest parked timer becomes visible, if any. */
    public synchronized Optional<Instant> nextVisibleAt() {
        return entries.stream().map(e -> e.visibleAt).min(Comparator.naturalOrder());
    }
}
