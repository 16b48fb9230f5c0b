package io.sequencer.engine.job;

import io.sequencer.domain.Ids;
import io.sequencer.domain.Invalid;
import io.sequencer.domain.Sha256;
import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.sequence.Sequence;
import io.sequencer.engine.AlreadyExists;
import io.sequencer.engine.Conflict;
import io.sequencer.engine.NotFound;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import io.sequencer.engine.enrollment.EnrollmentPage;
import io.sequencer.engine.enrollment.EnrollmentStore;
import io.sequencer.engine.enrollment.Enrollments;
import io.sequencer.engine.sequence.SequenceStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Bulk leaves and moves as jobs: started by one request, run page by page from a queue, readable while they run.
 *
 * <p>Starting queues the first page <em>before</em> it stores the job (a page that finds no job yet comes back
 * later), so no stored job is left without a message to run it. A job started under an idempotency key gets an id
 * derived from it: starting again with the same key finds that job and starts nothing new (a job that failed, a
 * page having failed every attempt, resumes at that page, when the request runs again: the HTTP layer replays
 * its recorded answer while it keeps one).
 *
 * <p>Each page is claimed, acted on, and committed ({@link Job}); the next page is queued before the commit, and a
 * page message whose page is not the job's current one is dropped (behind it) or waits (ahead of it). A crash at any
 * point repeats the page, whose actions ({@link Enrollments#leave}, {@link Enrollments#move}) are idempotent.
 */
public final class BulkJobs {
    private static final int MAX_RACES = 5;

    private final SequenceStore sequences;
    private final EnrollmentStore enrollmentStore;
    private final Enrollments enrollments;
    private final JobStore store;
    private final JobQueue queue;
    private final Clock clock;

    public BulkJobs(SequenceStore sequences, EnrollmentStore enrollmentStore, Enrollments enrollments, JobStore store,
                    JobQueue queue, Clock clock) {
        this.sequences = sequences;
        this.enrollmentStore = enrollmentStore;
        this.enrollments = enrollments;
        this.store = store;
        this.queue = queue;
        this.clock = clock;
    }

    /** What handling one page message did. */
    public sealed interface Outcome {
        /** The page ran: {@code items} acted on, {@code failed} of them failed; {@code last} when the job is done. */
        record Done(int page, int items, int failed, boolean last) implements Outcome {}

        /** Not yet: the message comes back at {@code at}. */
        record Later(String reason, Instant at) implements Outcome {}

        /** Nothing to do (done, failed, unknown, or a stale copy). */
        record Dropped(String reason) implements Outcome {}
    }

    /**
     * Starts {@code request} on {@code account}'s sequence, or finds the job the same {@code idempotencyKey} started.
     *
     * @throws NotFound when the sequence does not exist
     * @throws Invalid when a move names a step the sequence does not have
     * @throws Conflict when the key started a different job
     */
    public Job start(String account, JobRequest request, Optional<String> idempotencyKey) {
        Ids.require("account", account);
        Sequence sequence = sequences.find(account, request.sequenceId()).map(Stored::value)
                .orElseThrow(() -> new NotFound("sequence " + request.sequenceId()));
        request.toStepId().ifPresent(step -> sequence.indexOf(step).orElseThrow(
                () -> new Invalid("toStepId", "sequence " + request.sequenceId() + " has no step " + step)));
        String id = idempotencyKey.map(key -> "job-" + Sha256.hex(account + "\n" + key, 24))
                .orElseGet(() -> "job-" + UUID.randomUUID().toString().replace("-", ""));
        Optional<Stored<Job>> existing = store.find(account, id);
        Instant now = clock.instant();
        if (existing.isPresent()) {
            Job job = sameRequest(existing.get().value(), request);
            return job.status() == Job.Status.FAILED ? resume(existing.get(), now) : job;
        }
        queue.page(new JobPage(account, id, 0, 0), now);
        try {
            Job job = Job.start(account, id, request, now);
            store.create(job);
            return job;
        } catch (AlreadyExists racing) {
            return sameRequest(store.find(account, id).map(Stored::value).orElseThrow(() -> racing), request);
        }
    }

    /** A failed job asked for again: it runs on from the page that failed. */
    private Job resume(Stored<Job> failed, Instant now) {
        Job resumed = failed.value().resumed(now);
        queue.page(new JobPage(resumed.account(), resumed.id(), resumed.page(), 0), now);
        try {
            store.replace(failed, resumed);
            return resumed;
        } catch (StaleWrite racing) {
            return get(resumed.account(), resumed.id());
        }
    }

    private static Job sameRequest(Job job, JobRequest request) {
        if (!job.request().equals(request)) {
            throw new Conflict("this Idempotency-Key started job " + job.id() + " for another request");
        }
        return job;
    }

    public Job get(String account, String jobId) {
        Ids.require("account", account);
        Ids.require("jobId", jobId);
        return store.find(account, jobId).map(Stored::value).orElseThrow(() -> new NotFound("job " + jobId));
    }

    /** Runs the page {@code message} names, if it is the job's current one. */
    public Outcome handle(JobPage message) {
        Instant now = clock.instant();
        Optional<Stored<Job>> found = store.find(message.account(), message.jobId());
        if (found.isEmpty()) {
            // The first page is queued before the job is stored: its write may not have landed yet.
            return waitOrDrop(message, now, "the job to be stored", "no such job");
        }
        Job job = found.get().value();
        if (job.status() != Job.Status.RUNNING) {
            return new Outcome.Dropped("job is " + job.status().wireName());
        }
        if (message.page() < job.page()) {
            return new Outcome.Dropped("page " + message.page() + " ran already");
        }
        if (message.page() > job.page()) {
            return waitOrDrop(message, now, "page " + job.page() + " to commit",
                    "page " + job.page() + " did not commit; its retry queues the next page");
        }
        Stored<Job> current = found.get();
        if (job.claimed().isEmpty()) {
            try {
                store.replace(current, job.claiming(select(job), now));
            } catch (StaleWrite racing) {
                throw new Conflict("job " + job.id() + " changed while page " + job.page() + " was claimed; retried");
            }
            current = store.find(message.account(), message.jobId()).orElseThrow();
            job = current.value();
        }
        Job.Claim claim = job.claimed().orElseThrow();
        List<Job.ItemError> errors = new ArrayList<>();
        for (String subscriberId : claim.subscriberIds()) {
            act(job, subscriberId).ifPresent(errors::add);
        }
        if (!claim.last()) {
            queue.page(new JobPage(job.account(), job.id(), job.page() + 1, 0), now);
        }
        return commit(current, message, errors);
    }

    /** The ids page {@link Job#page()} covers, and where the next one starts. */
    private Job.Claim select(Job job) {
        JobRequest request = job.request();
        if (request.selection() instanceof JobRequest.Listed listed) {
            List<String> ids = listed.subscriberIds();
            int from = Math.min(ids.size(), job.page() * Job.PAGE);
            int to = Math.min(ids.size(), from + Job.PAGE);
            return new Job.Claim(ids.subList(from, to), Optional.empty(), to == ids.size());
        }
        JobRequest.Filtered filtered = (JobRequest.Filtered) request.selection();
        EnrollmentPage page = enrollmentStore.page(job.account(), request.sequenceId(), filtered.filter(), job.cursor(),
                Job.PAGE);
        List<String> ids = page.enrollments().stream().map(e -> e.key().subscriberId()).toList();
        return new Job.Claim(ids, page.next(), page.next().isEmpty());
    }

    /** Acts on one subscriber's enrollment; an error of that item alone is returned, never thrown. */
    private Optional<Job.ItemError> act(Job job, String subscriberId) {
        if (subscriberId.equals(JobRequest.ERASED)) {
            return Optional.of(Job.ItemError.erased());
        }
        EnrollmentKey key = new EnrollmentKey(job.account(), job.request().sequenceId(), subscriberId);
        try {
            switch (job.request().action()) {
                case LEAVE -> enrollments.leave(key);
                case MOVE -> enrollments.move(key, job.request().toStepId().orElseThrow());
            }
            return Optional.empty();
        } catch (NotFound e) {
            return Optional.of(new Job.ItemError(subscriberId, "not_found", e.getMessage()));
        } catch (Invalid e) {
            return Optional.of(new Job.ItemError(subscriberId, "invalid", e.getMessage()));
        } catch (Conflict e) {
            return Optional.of(new Job.ItemError(subscriberId, "conflict", e.getMessage()));
        }
    }

    private Outcome commit(Stored<Job> claimed, JobPage message, List<Job.ItemError> errors) {
        Stored<Job> base = claimed;
        for (int race = 0; race < MAX_RACES; race++) {
            Job next = base.value().committed(errors, clock.instant());
            try {
                store.replace(base, next);
                return new Outcome.Done(message.page(), base.value().claimed().orElseThrow().subscriberIds().size(),
                        errors.size(), next.done());
            } catch (StaleWrite moved) {
                Optional<Stored<Job>> again = store.find(message.account(), message.jobId());
                if (again.isEmpty() || again.get().value().page() != message.page()
                        || again.get().value().claimed().isEmpty()) {
                    return new Outcome.Dropped("another copy of page " + message.page() + " committed first");
                }
                base = again.get();
            }
        }
        throw new Conflict("job " + message.jobId() + " keeps changing; the page will be retried");
    }

    /**
     * Page {@code message} failed every attempt the queue allows: the job shows as failed with {@code error}.
     * Best effort. @return whether it was recorded
     */
    public boolean recordFailure(JobPage message, String error) {
        for (int race = 0; race < MAX_RACES; race++) {
            Optional<Stored<Job>> found = store.find(message.account(), message.jobId());
            if (found.isEmpty() || found.get().value().page() != message.page()
                    || found.get().value().status() != Job.Status.RUNNING) {
                return false;
            }
            try {
                store.replace(found.get(), found.get().value().failing(error, clock.instant()));
                return true;
            } catch (StaleWrite moved) {
                // the page's own late commit: look again
            }
        }
        return false;
    }

    private Outcome waitOrDrop(JobPage message, Instant now, String waitingFor, String givenUp) {
        if (message.waits() >= JobPage.MAX_WAITS) {
            return new Outcome.Dropped(givenUp);
        }
        Instant at = now.plus(Duration.ofSeconds(1L << Math.min(message.waits(), 6)));
        queue.page(message.waitedOnce(), at);
        return new Outcome.Later("waiting for " + waitingFor, at);
    }
}
