package io.sequencer.engine.subscriber;

import io.sequencer.domain.Ids;
import io.sequencer.domain.Invalid;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.enrollment.Origin;
import io.sequencer.domain.sequence.Sequence;
import io.sequencer.domain.sequence.SequenceStatus;
import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.domain.subscriber.Resubscription;
import io.sequencer.domain.subscriber.Subscriber;
import io.sequencer.engine.Conflict;
import io.sequencer.engine.NotFound;
import io.sequencer.engine.Stored;
import io.sequencer.engine.enrollment.EnrollRequest;
import io.sequencer.engine.enrollment.Enrollments;
import io.sequencer.engine.sequence.SequenceStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** Use cases on subscribers: add (starting welcome sequences), update the profile, read, opt out of everything. */
public final class Subscribers {
    /** The cause of welcome enrollments: one per subscriber and sequence, so repeating the add changes nothing. */
    static final Origin WELCOME = new Origin(Optional.of("subscribed"), 1);

    private final SubscriberStore store;
    private final SequenceStore sequences;
    private final Enrollments enrollments;
    private final Clock clock;

    public Subscribers(SubscriberStore store, SequenceStore sequences, Enrollments enrollments, Clock clock) {
        this.store = store;
        this.sequences = sequences;
        this.enrollments = enrollments;
        this.clock = clock;
    }

    /** What adding a subscriber did about an earlier opt-out. */
    public enum OptOut {
        /** There was none. */
        NONE,
        /** It stands: the add asked for no re-subscription (a repeated or late add never lifts an opt-out). */
        KEPT,
        /** Lifted by a re-subscription made after it. */
        LIFTED,
        /** It stands, and the add changed nothing: the re-subscription it carried was made before the opt-out. */
        NEWER_THAN_RESUBSCRIPTION
    }

    /**
     * The outcome of adding a subscriber: the profile, whether it is new, the welcome sequences started, and what
     * became of an opt-out.
     */
    public record Added(Subscriber subscriber, boolean created, List<String> welcomed, OptOut optOut) {}

    /**
     * Adds the subscriber (or updates an existing profile) and enrolls them in every active sequence of the account
     * that new subscribers start. Repeating it is harmless: the welcome enrollments are recognised by their cause.
     * A subscriber who opted out stays opted out (their profile is still updated, nobody is welcomed) unless
     * {@code resubscription} was made after the opt-out.
     * @throws Conflict naming the re-subscription's field when it was made before the opt-out; nothing is changed
     */
    public Added add(String account, String subscriberId, Map<String, Optional<AttributeValue>> attributes,
                     Optional<ZoneId> timezone, Optional<Resubscription> resubscription) {
        Added added = apply(account, subscriberId, attributes, timezone, resubscription);
        if (added.optOut() == OptOut.NEWER_THAN_RESUBSCRIPTION) {
            Resubscription older = resubscription.orElseThrow();
            throw new Conflict(older.field(), "subscriber " + subscriberId + " opted out at "
                    + added.subscriber().optedOutAt().orElseThrow() + ", after this re-subscription (" + older.at()
                    + "); it stands and nothing was changed");
        }
        return added;
    }

    /** As {@link #add}, but an opt-out newer than the re-subscription is an outcome (a late event), not an error. */
    public Added apply(String account, String subscriberId, Map<String, Optional<AttributeValue>> attributes,
                Optional<ZoneId> timezone, Optional<Resubscription> resubscription) {
        Ids.require("account", account);
        Ids.require("subscriberId", subscriberId);
        resubscription.ifPresent(r -> r.checkedAt(clock.instant()));
        ProfileWrite.Result written = ProfileWrite.apply(store, clock, account, subscriberId, false, (stored, base, now) -> {
            OptOut optOut = optOut(base, resubscription);
            if (optOut == OptOut.NEWER_THAN_RESUBSCRIPTION) {
                return base;
            }
            Subscriber updated = profileChange(() -> base.updated(attributes, timezone, now));
            return optOut == OptOut.LIFTED ? updated.resubscribed(now) : updated;
        });
        boolean created = written.before().isEmpty();
        OptOut optOut = written.before().map(before -> optOut(before, resubscription)).orElse(OptOut.NONE);
        Subscriber subscriber = written.after();
        if (subscriber.optedOut()) {
            // Every welcome would be refused: spare the reads.
            return new Added(subscriber, created, List.of(), optOut);
        }
        List<String> welcomed = welcome(account, subscriberId);
        if (!welcomed.isEmpty()) {
            // The welcome enrollments added themselves to the profile: show it as it now stands.
            subscriber = store.find(account, subscriberId).map(Stored::value).orElse(subscriber);
        }
        return new Added(subscriber, created, welcomed, optOut);
    }

    /**
     * Enrolls the subscriber in every active sequence of the account that new subscribers start, as adding them
     * does; repeating it starts nothing new. @return the sequences started now
     */
    public List<String> welcome(String account, String subscriberId) {
        List<String> welcomed = new ArrayList<>();
        for (Sequence sequence : sequences.list(account)) {
            if (!sequence.rules().enrollOnSubscribed() || sequence.status() != SequenceStatus.ACTIVE) {
                continue;
            }
            EnrollmentKey key = new EnrollmentKey(account, sequence.id(), subscriberId);
            try {
                if (enrollments.enroll(new EnrollRequest(key, Optional.empty(), Map.of(), WELCOME)).created()) {
                    welcomed.add(sequence.id());
                }
            } catch (Conflict refused) {
                // Already went through it and may not re-enter: nothing to do.
            }
        }
        return welcomed;
    }

    private static OptOut optOut(Subscriber before, Optional<Resubscription> resubscription) {
        if (!before.optedOut()) {
            return OptOut.NONE;
        }
        if (resubscription.isEmpty()) {
            return OptOut.KEPT;
        }
        return resubscription.get().lifts(before) ? OptOut.LIFTED : OptOut.NEWER_THAN_RESUBSCRIPTION;
    }

    /** Applies profile changes (a missing value removes the attribute) for every enrollment of the subscriber. */
    public Subscriber update(String account, String subscriberId, Map<String, Optional<AttributeValue>> attributes,
                             Optional<ZoneId> timezone) {
        Ids.require("account", account);
        Ids.require("subscriberId", subscriberId);
        return ProfileWrite.apply(store, clock, account, subscriberId, false, (stored, base, now) -> {
            if (stored.isEmpty()) {
                throw new NotFound("subscriber " + subscriberId);
            }
            return profileChange(() -> base.updated(attributes, timezone, now));
        }).after();
    }

    /**
     * Stores profile values given with a subscriber named elsewhere (a broadcast's audience): creates the profile
     * when there is none, never changes an opt-out, and writes nothing when the values are already there.
     */
    public Subscriber absorb(String account, String subscriberId, Map<String, Optional<AttributeValue>> attributes,
                             Optional<ZoneId> timezone) {
        return ProfileWrite.apply(store, clock, account, subscriberId, false,
                (stored, base, now) -> profileChange(() -> base.updated(attributes, timezone, now))).after();
    }

    /** Profiles one page may hold, at most and by default. */
    public static final int MAX_PAGE = 1_000;

    /** A page of an account's profiles in id order, and the token of the next page (empty on the last). */
    public record Page(List<Subscriber> subscribers, Optional<String> continuation) {}

    /**
     * Up to {@code limit} of the account's profiles in id order, from the one after {@code continuation}'s (a token
     * a previous page gave; empty: from the first).
     */
    public Page page(String account, int limit, Optional<String> continuation) {
        Ids.require("account", account);
        if (limit < 1 || limit > MAX_PAGE) {
            throw new Invalid("limit", "must be a whole number from 1 to " + MAX_PAGE);
        }
        Optional<String> after = continuation.map(Subscribers::afterId);
        List<Subscriber> page = store.page(account, after, limit);
        Optional<String> next = page.size() < limit ? Optional.empty() : Optional.of(java.util.Base64.getUrlEncoder()
                .withoutPadding().encodeToString(page.get(page.size() - 1).id().getBytes(StandardCharsets.UTF_8)));
        return new Page(page, next);
    }

    private static String afterId(String token) {
        try {
            String id = new String(java.util.Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (Ids.problemWith(id).isEmpty()) {
                return id;
            }
        } catch (IllegalArgumentException e) {
            // Named below.
        }
        throw new Invalid("continuation", "is not a token a previous page gave");
    }

    public Subscriber get(String account, String subscriberId) {
        return find(account, subscriberId).value();
    }

    /**
     * Opts the subscriber out of everything the account sends: marks the profile with the time (refusing later
     * enrollments until a re-subscription made after it), then ends every enrollment it lists. Repeating it
     * finishes what a crash left, and moves the time on. A subscriber not seen before gets an opted-out profile, so
     * a later enroll is refused too. Steps check the mark before each send, so an opt-out that stops before its
     * last enrollment sends nothing more either.
     */
    public Subscriber optOut(String account, String subscriberId) {
        Ids.require("account", account);
        Ids.require("subscriberId", subscriberId);
        // Written even when already opted out: enrollments racing a repeat must see a new ETag.
        Subscriber marked = ProfileWrite.apply(store, clock, account, subscriberId, true,
                (stored, base, now) -> base.optingOut(now)).after();
        for (String sequenceId : marked.sequences()) {
            enrollments.endForOptOut(new EnrollmentKey(account, sequenceId, subscriberId));
        }
        return marked;
    }

    private Stored<Subscriber> find(String account, String subscriberId) {
        Ids.require("account", account);
        Ids.require("subscriberId", subscriberId);
        return store.find(account, subscriberId).orElseThrow(() -> new NotFound("subscriber " + subscriberId));
    }

    private static Subscriber profileChange(Supplier<Subscriber> change) {
        try {
            return change.get();
        } catch (IllegalArgumentException tooMany) {
            throw new Invalid("attributes", tooMany.getMessage());
        }
    }
}
