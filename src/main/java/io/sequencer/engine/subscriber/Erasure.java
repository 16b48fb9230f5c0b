package io.sequencer.engine.subscriber;

import io.sequencer.domain.Ids;
import io.sequencer.domain.broadcast.Broadcast;
import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.enrollment.LeaveReason;
import io.sequencer.domain.subscriber.Subscriber;
import io.sequencer.domain.timer.PoisonedTick;
import io.sequencer.engine.Conflict;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import io.sequencer.engine.broadcast.BroadcastStore;
import io.sequencer.engine.enrollment.EnrollmentStore;
import io.sequencer.engine.event.EventLog;
import io.sequencer.engine.idempotency.IdempotencyStore;
import io.sequencer.engine.imports.ImportStore;
import io.sequencer.engine.job.JobStore;
import io.sequencer.engine.limit.CapStore;
import io.sequencer.engine.poison.PoisonedTicks;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Erases a subscriber from an account: their profile, every enrollment, their reported events (and so their
 * timeline), their poisoned ticks, their place in the account's broadcasts, the kept answers to idempotent
 * writes that name them, and their ids in the account's bulk jobs and imports ({@link WorkErasure}: a job keeps the
 * item's place, marked erased, and a filtered job's resume point at their row moves to the next row; an import's
 * staged pages lose their rows and its row errors any reason naming them). Jobs come after the enrollments: a
 * resume point moves past a row only once it is deleted.
 * The sequences' and broadcasts' counts keep what the subscriber added to them, and nothing else of them is kept:
 * no tombstone, so a later opt-in starts afresh.
 *
 * <p>Crash-safe and repeatable, by its order. The profile is marked opted out first: from then on enrolls are
 * refused, steps are not sent, and a tick that finds its enrollment gone is dropped without a write (it would
 * otherwise wait for an enroll to commit). Each enrollment an active one is first ended, so the sequence's active
 * count falls as on any leave; then it is deleted. Events, poisoned ticks and broadcast traces follow; the profile
 * goes last, because it lists the sequences to visit: a crash at any point leaves it in place for the retry, which
 * finds the work done so far already done.
 *
 * <p>Without a tombstone, one race is left open: an enroll that read the profile before the mark and writes its
 * enrollment after the erasure has finished lands as an enrollment made after it, like a fresh opt-in, but
 * without a profile listing it. It needs a request that started before the erasure to stall across all of it.
 *
 * <p>Work in flight can write the id back after its store was visited: a bulk job's page or an import's page
 * read before the erasure and committed after it. A job's commit is conditional and drops errors for ids its claim
 * no longer lists, but a filtered job's claim that listed the enrollments before the deletion can still write a
 * resume point at the subscriber's row; an import page's row errors are not conditional, so such an error, like
 * the enroll above, needs a page applied across the whole erasure. A repeated erasure removes either.
 *
 * <p>Messages already in queues cannot be found by content; they are dropped when they come due: a tick finds no
 * enrollment and no profile ({@code TickHandler}), a poisoned one is swept away unrecorded ({@code PoisonSweeper}),
 * a lifecycle-notice signal finds no outbox.
 */
public final class Erasure {
    private static final int MAX_RACES = 5;
    private static final int POISON_PAGE = 100;

    private final SubscriberStore subscribers;
    private final EnrollmentStore enrollments;
    private final EventLog events;
    private final Optional<PoisonedTicks> poisoned;
    private final Optional<BroadcastStore> broadcasts;
    private final Optional<IdempotencyStore> answers;
    private final Optional<CapStore> caps;
    private final WorkErasure work;
    private final Clock clock;

    public Erasure(SubscriberStore subscribers, EnrollmentStore enrollments, EventLog events,
                   Optional<PoisonedTicks> poisoned, Optional<BroadcastStore> broadcasts,
                   Optional<IdempotencyStore> answers, Optional<CapStore> caps, Optional<JobStore> jobs,
                   Optional<ImportStore> imports, Clock clock) {
        this.subscribers = subscribers;
        this.enrollments = enrollments;
        this.events = events;
        this.poisoned = poisoned;
        this.broadcasts = broadcasts;
        this.answers = answers;
        this.caps = caps;
        this.work = new WorkErasure(enrollments, jobs, imports, clock);
        this.clock = clock;
    }

    /** What an erasure removed: whether there was a profile, and how many enrollments and events. */
    public record Erased(boolean profile, int enrollments, int events) {}

    public Erased erase(String account, String subscriberId) {
        Ids.require("account", account);
        Ids.require("subscriberId", subscriberId);
        Set<String> visited = new LinkedHashSet<>();
        int enrollmentsErased = 0;
        int eventsErased = 0;
        boolean hadProfile = false;
        for (int race = 0; race < MAX_RACES; race++) {
            Optional<Stored<Subscriber>> marked = mark(account, subscriberId);
            hadProfile |= marked.isPresent();
            Set<String> sequences = new LinkedHashSet<>(marked.map(p -> p.value().sequences()).orElse(List.of()));
            sequences.removeAll(visited);
            for (String sequenceId : sequences) {
                EnrollmentKey key = new EnrollmentKey(account, sequenceId, subscriberId);
                if (eraseEnrollment(key)) {
                    enrollmentsErased++;
                }
                poisoned.ifPresent(ticks -> erasePoisoned(ticks, key));
                visited.add(sequenceId);
            }
            eventsErased += events.erase(account, subscriberId);
            broadcasts.ifPresent(store -> {
                for (Broadcast broadcast : store.list(account)) {
                    store.forget(account, broadcast.id(), subscriberId);
                }
            });
            // Kept answers to writes with an Idempotency-Key (24 h) show the subscriber's id, quoted, in their JSON.
            answers.ifPresent(store -> store.removeAnswersContaining(account, "\"" + subscriberId + "\""));
            // The frequency caps' send log is keyed by the subscriber's id.
            caps.ifPresent(store -> store.deleteLog(account, subscriberId));
            work.erase(account, subscriberId);
            if (marked.isEmpty()) {
                return new Erased(hadProfile, enrollmentsErased, eventsErased);
            }
            try {
                subscribers.delete(account, subscriberId, marked.get().etag());
                return new Erased(true, enrollmentsErased, eventsErased);
            } catch (StaleWrite changed) {
                // Written since it was marked (an enroll refused by the mark still rewrites nothing; a sequence may
                // have been listed just before it): go round again for what it lists now.
            }
        }
        throw new Conflict("subscriber " + subscriberId + " is changing concurrently; try again");
    }

    /** The profile marked opted out (written only when it was not yet), as stored now; empty when there is none. */
    private Optional<Stored<Subscriber>> mark(String account, String subscriberId) {
        for (int race = 0; race < MAX_RACES; race++) {
            Optional<Stored<Subscriber>> current = subscribers.find(account, subscriberId);
            if (current.isEmpty() || current.get().value().optedOut()) {
                return current;
            }
            try {
                subscribers.replace(current.get().value().optingOut(clock.instant()), current.get().etag());
            } catch (StaleWrite lostRace) {
                // Changed meanwhile: mark what is there now.
            }
        }
        throw new Conflict("subscriber " + subscriberId + " is changing concurrently; try again");
    }

    /**
     * Ends the enrollment if it is active (counted as an opt-out, without a lifecycle notice: the host asked for
     * the erasure) and deletes it. @return whether there was one
     */
    private boolean eraseEnrollment(EnrollmentKey key) {
        for (int race = 0; race < MAX_RACES; race++) {
            Optional<Stored<Enrollment>> current = enrollments.find(key);
            if (current.isEmpty()) {
                return false;
            }
            try {
                Enrollment enrollment = current.get().value();
                if (enrollment.isActive()) {
                    enrollments.replace(current.get(), enrollment.leave(LeaveReason.OPTED_OUT, clock.instant()));
                    continue;
                }
                enrollments.delete(current.get());
                return true;
            } catch (StaleWrite lostRace) {
                // A tick or event wrote meanwhile: start again from what it wrote.
            }
        }
        throw new Conflict("subscriber " + key.subscriberId() + " is changing concurrently; try again");
    }

    private static void erasePoisoned(PoisonedTicks ticks, EnrollmentKey key) {
        Optional<String> after = Optional.empty();
        do {
            PoisonedTicks.Page page = ticks.list(key.account(), key.sequenceId(), after, POISON_PAGE);
            for (Stored<PoisonedTick> entry : page.entries()) {
                if (entry.value().tick().key().equals(key)) {
                    ticks.remove(entry);
                }
            }
            after = page.next();
        } while (after.isPresent());
    }
}
