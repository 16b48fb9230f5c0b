package io.sequencer.engine.job;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A bulk job and how far it got. It runs in pages of at most {@link #PAGE} enrollments, one queue message each: a
 * page is first <em>claimed</em> (the ids it covers written into {@code claimed}, with where the next page starts),
 * then acted on, then committed (counts added, cursor moved on, claim cleared). A page run again after a crash acts
 * on the same ids, whose actions are idempotent, and its counts are added once, when it commits.
 *
 * @param page the page to run next (0-based)
 * @param cursor where the next page's selection starts: the enrollment store's continuation (filtered jobs)
 * @param errors the first {@link #MAX_ERRORS} items that failed; {@code failed} counts them all
 * @param failure why the job stopped: a page that failed every attempt the queue allows
 */
public record Job(
        String account,
        String id,
        JobRequest request,
        int page,
        Optional<String> cursor,
        Optional<Claim> claimed,
        boolean done,
        long processed,
        long failed,
        List<ItemError> errors,
        Optional<String> failure,
        Instant createdAt,
        Instant updatedAt) {

    /** Enrollments one page acts on. */
    public static final int PAGE = 100;
    /** Failed items a job keeps with their error. */
    public static final int MAX_ERRORS = 100;

    public Job {
        errors = List.copyOf(errors);
        if (page < 0 || processed < 0 || failed < 0 || failed > processed) {
            throw new IllegalArgumentException("page, processed and failed are counts, failed of processed");
        }
    }

    /** A page's selected subscriber ids, where the next page starts, and whether it is the last. */
    public record Claim(List<String> subscriberIds, Optional<String> next, boolean last) {
        public Claim {
            subscriberIds = List.copyOf(subscriberIds);
        }

        Claim erasing(String subscriberId) {
            List<String> ids = subscriberIds.stream().map(id -> id.equals(subscriberId) ? JobRequest.ERASED : id)
                    .toList();
            return new Claim(ids, next, last);
        }
    }

    /**
     * One item that failed: its subscriber, a kind ({@code not_found}, {@code conflict}, {@code invalid}, or
     * {@code erased} with the subscriber {@link JobRequest#ERASED}), why.
     */
    public record ItemError(String subscriberId, String kind, String message) {
        /** An item whose subscriber was erased: nothing of them is kept, not even why it failed. */
        public static ItemError erased() {
            return new ItemError(JobRequest.ERASED, "erased", "the subscriber was erased");
        }
    }

    public enum Status {
        RUNNING, DONE, FAILED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static Job start(String account, String id, JobRequest request, Instant now) {
        return new Job(account, id, request, 0, Optional.empty(), Optional.empty(), false, 0, 0, List.of(),
                Optional.empty(), now, now);
    }

    public Status status() {
        return done ? Status.DONE : failure.isPresent() ? Status.FAILED : Status.RUNNING;
    }

    /** For a listed job: how many subscribers it covers; a filtered job's total is known only when it is done. */
    public Optional<Long> total() {
        if (request.selection() instanceof JobRequest.Listed listed) {
            return Optional.of((long) listed.subscriberIds().size());
        }
        return done ? Optional.of(processed) : Optional.empty();
    }

    public long succeeded() {
        return processed - failed;
    }

    public Job claiming(Claim claim, Instant now) {
        return new Job(account, id, request, page, cursor, Optional.of(claim), done, processed, failed, errors, failure,
                createdAt, now);
    }

    /** The claimed page acted on, {@code itemErrors} of its items failed: the next page is the one to run. */
    public Job committed(List<ItemError> itemErrors, Instant now) {
        Claim claim = claimed.orElseThrow(() -> new IllegalStateException("no page claimed"));
        List<ItemError> kept = new ArrayList<>(errors);
        for (ItemError error : itemErrors) {
            if (kept.size() < MAX_ERRORS) {
                // An id the claim no longer lists was erased while the page ran: its error must not name it.
                kept.add(claim.subscriberIds().contains(error.subscriberId()) ? error : ItemError.erased());
            }
        }
        return new Job(account, id, request, page + 1, claim.next(), Optional.empty(), claim.last(),
                processed + claim.subscriberIds().size(), failed + itemErrors.size(), kept, Optional.empty(),
                createdAt, now);
    }

    /** Whether the job's request, claimed page or kept errors name {@code subscriberId}. */
    public boolean names(String subscriberId) {
        return request.selection() instanceof JobRequest.Listed listed && listed.subscriberIds().contains(subscriberId)
                || claimed.map(c -> c.subscriberIds().contains(subscriberId)).orElse(false)
                || errors.stream().anyMatch(e -> e.subscriberId().equals(subscriberId));
    }

    /**
     * The job with {@code subscriberId} erased: {@link JobRequest#ERASED} in its place in the listed and claimed ids
     * (a page still to run reports it as an {@code erased} error), and its kept errors made {@code erased} ones.
     */
    public Job erasing(String subscriberId, Instant now) {
        JobRequest scrubbed = request.selection() instanceof JobRequest.Listed listed
                ? new JobRequest(request.sequenceId(), request.action(), request.toStepId(),
                        listed.erasing(subscriberId))
                : request;
        List<ItemError> kept = errors.stream()
                .map(e -> e.subscriberId().equals(subscriberId) ? ItemError.erased() : e).toList();
        return new Job(account, id, scrubbed, page, cursor, claimed.map(c -> c.erasing(subscriberId)), done, processed,
                failed, kept, failure, createdAt, now);
    }

    /**
     * The job resuming at {@code cursor}, its claimed page (if any) going on at {@code claimNext}: an erasure's
     * rewrite of positions that named the erased subscriber's row into ones that start where the listing would.
     */
    public Job resumingAt(Optional<String> cursor, Optional<String> claimNext, Instant now) {
        Optional<Claim> claim = claimed.map(c -> new Claim(c.subscriberIds(), claimNext, c.last()));
        return new Job(account, id, request, page, cursor, claim, done, processed, failed, errors, failure, createdAt,
                now);
    }

    /** A failed job asked for again: it runs on from {@link #page}. */
    public Job resumed(Instant now) {
        return new Job(account, id, request, page, cursor, claimed, done, processed, failed, errors, Optional.empty(),
                createdAt, now);
    }

    /** Page {@link #page} failed every attempt: the job stops there with {@code error}. */
    public Job failing(String error, Instant now) {
        return new Job(account, id, request, page, cursor, claimed, done, processed, failed, errors, Optional.of(error),
                createdAt, now);
    }
}
