package io.sequencer.engine.subscriber;

import io.sequencer.domain.subscriber.Subscriber;
import io.sequencer.engine.AlreadyExists;
import io.sequencer.engine.Conflict;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The one read-modify-write of a subscriber's profile: read it (or start a new one), apply a change, and write
 * it conditionally (insert when new) only when it differs, or always when asked; a lost race applies the change
 * again to what won. The change may throw to refuse (an opted-out subscriber, a missing profile).
 */
public final class ProfileWrite {
    private static final int MAX_RACES = 5;

    private ProfileWrite() {}

    /** How a profile changes, given what is stored ({@code empty}: nothing yet) and a fresh profile to start from. */
    public interface Change {
        Subscriber apply(Optional<Subscriber> stored, Subscriber base, Instant now);
    }

    /** The profile before (empty when it was created) and after, and whether it was written. */
    public record Result(Optional<Subscriber> before, Subscriber after, boolean written) {}

    public static Result apply(SubscriberStore store, Clock clock, String account, String subscriberId, boolean alwaysWrite,
                        Change change) {
        for (int race = 0; race < MAX_RACES; race++) {
            Instant now = clock.instant();
            Optional<Stored<Subscriber>> current = store.find(account, subscriberId);
            Optional<Subscriber> before = current.map(Stored::value);
            Subscriber base = before.orElseGet(() -> Subscriber.create(account, subscriberId, now));
            Subscriber after = change.apply(before, base, now);
            try {
                if (current.isEmpty()) {
                    store.create(after);
                } else if (alwaysWrite || !same(base, after)) {
                    store.replace(after, current.get().etag());
                } else {
                    return new Result(before, base, false);
                }
                return new Result(before, after, true);
            } catch (AlreadyExists | StaleWrite lostRace) {
                // Changed meanwhile: apply ours on top of the new state.
            }
        }
        throw new Conflict("subscriber " + subscriberId + " is changing concurrently; try again");
    }

    /** True when the two profiles say the same (their update times aside). */
    static boolean same(Subscriber a, Subscriber b) {
        return a.attributes().equals(b.attributes()) && a.timezone().equals(b.timezone())
                && a.sequences().equals(b.sequences()) && a.optedOutAt().equals(b.optedOutAt())
                && a.conversation().equals(b.conversation());
    }
}
