package io.sequencer.engine.imports;

import io.sequencer.domain.Invalid;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.enrollment.Origin;
import io.sequencer.domain.subscriber.Subscriber;
import io.sequencer.engine.Conflict;
import io.sequencer.engine.NotFound;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import io.sequencer.engine.enrollment.EnrollRequest;
import io.sequencer.engine.enrollment.Enrollments;
import io.sequencer.engine.subscriber.SubscriberStore;
import io.sequencer.engine.subscriber.Subscribers;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The job that applies an import's staged pages, one after the other, from the one the import has counted last
 * ({@code pagesDone}): its rows are applied, their errors written, and only then is the page counted, conditionally,
 * so a crash anywhere before the count applies the page again, which changes nothing (profiles are written only when
 * they differ, enrollments are recognised by their cause, errors are keyed by line), and the count is exact. Two
 * runs at once (a duplicate message) cannot both count a page: the one whose count loses stops.
 *
 * <p>New subscribers are created in one table batch per page (one partition per account) when none of them exists
 * yet, the common case of an import; otherwise, and for every profile change, each row takes the one-subscriber path
 * ({@link Subscribers}), rows of different subscribers side by side, and enrollments take the enroll path
 * ({@link Enrollments}), so every guarantee of an enroll holds.
 */
public final class ImportPages {
    /** Pages one run applies before it hands on to the next run through the queue. */
    static final int PAGES_PER_RUN = 50;
    private static final int PARALLEL_ROWS = 8;
    private static final int MAX_RACES = 10;
    private static final ExecutorService WORKERS = Executors.newFixedThreadPool(PARALLEL_ROWS, runnable -> {
        Thread thread = new Thread(runnable, "import-rows");
        thread.setDaemon(true);
        return thread;
    });

    /** What a run did. */
    public enum Outcome {
        /** Every staged page is applied; the job waits for more parts or is complete. */
        CAUGHT_UP,
        /** It applied its share and queued the next run. */
        HANDED_ON,
        /** Another run counted a page first and goes on from there. */
        OVERTAKEN,
        /** The import failed or is gone: nothing to do. */
        STOPPED
    }

    private final ImportStore store;
    private final ImportQueue queue;
    private final SubscriberStore subscriberStore;
    private final Subscribers subscribers;
    private final Enrollments enrollments;
    private final Clock clock;

    public ImportPages(ImportStore store, ImportQueue queue, SubscriberStore subscriberStore, Subscribers subscribers,
                       Enrollments enrollments, Clock clock) {
        this.store = store;
        this.queue = queue;
        this.subscriberStore = subscriberStore;
        this.subscribers = subscribers;
        this.enrollments = enrollments;
        this.clock = clock;
    }

    /** The cause of an import's enrollments: a retried page finds them its own and leaves them be. */
    static Origin origin(String importId) {
        return new Origin(Optional.of("import " + importId), 0);
    }

    public Outcome run(String account, String importId) {
        for (int applied = 0; applied < PAGES_PER_RUN; applied++) {
            Optional<Stored<ImportJob>> found = store.find(account, importId);
            if (found.isEmpty() || found.get().value().failure().isPresent()) {
                return Outcome.STOPPED;
            }
            ImportJob job = found.get().value();
            if (job.pagesDone() >= job.pagesStaged()) {
                return Outcome.CAUGHT_UP;
            }
            int number = job.pagesDone();
            Optional<ImportPage> page = store.page(account, importId, number);
            if (page.isEmpty()) {
                if (counted(account, importId, number)) {
                    return Outcome.OVERTAKEN;
                }
                throw new IllegalStateException("import " + importId + " counts page " + number + " as staged,"
                        + " but it is not there");
            }
            List<RowError> errors = apply(job, page.get());
            store.recordErrors(account, importId, errors);
            Optional<ImportJob> committed = count(found.get(), page.get(), errors.size());
            if (committed.isEmpty()) {
                return Outcome.OVERTAKEN;
            }
            store.dropPage(account, importId, number);
            if (committed.get().pagesDone() >= committed.get().pagesStaged()) {
                return Outcome.CAUGHT_UP;
            }
        }
        queue.resume(account, importId);
        return Outcome.HANDED_ON;
    }

    /** Marks the import failed with {@code error}, after its page failed every attempt the host allows. */
    public void recordFailure(String account, String importId, String error) {
        for (int race = 0; race < MAX_RACES; race++) {
            Optional<Stored<ImportJob>> found = store.find(account, importId);
            if (found.isEmpty() || found.get().value().failure().isPresent()) {
                return;
            }
            try {
                store.replace(found.get().value().failed(error, clock.instant()), found.get().etag());
                return;
            } catch (StaleWrite raced) {
                // Counted or added to meanwhile: fail what won.
            }
        }
    }

    private boolean counted(String account, String importId, int number) {
        return store.find(account, importId).map(s -> s.value().pagesDone() > number).orElse(true);
    }

    /** Counts {@code page} on the job; empty when another run counted it first. */
    private Optional<ImportJob> count(Stored<ImportJob> read, ImportPage page, int failed) {
        Stored<ImportJob> current = read;
        for (int race = 0; race < MAX_RACES; race++) {
            ImportJob job = current.value();
            if (job.pagesDone() != page.number() || job.failure().isPresent()) {
                return Optional.empty();
            }
            ImportJob done = job.withPageDone(page.rows().size() - failed, failed, clock.instant());
            try {
                store.replace(done, current.etag());
                return Optional.of(done);
            } catch (StaleWrite raced) {
                // A part was counted meanwhile, or another run counted this page: read again and see.
                Optional<Stored<ImportJob>> again = store.find(job.account(), job.id());
                if (again.isEmpty()) {
                    return Optional.empty();
                }
                current = again.get();
            }
        }
        throw new Conflict("import " + read.value().id() + " is changing concurrently");
    }

    /** Applies the page's rows; @return an error per row that could not be applied, in line order */
    private List<RowError> apply(ImportJob job, ImportPage page) {
        Set<Long> created = createTogether(job, page.rows());
        // Rows of one subscriber in file order, one after the other; different subscribers side by side.
        Map<String, List<ImportRow>> bySubscriber = new LinkedHashMap<>();
        for (ImportRow row : page.rows()) {
            bySubscriber.computeIfAbsent(row.subscriberId(), id -> new ArrayList<>()).add(row);
        }
        Map<Long, RowError> errors = new java.util.concurrent.ConcurrentSkipListMap<>();
        List<Future<?>> running = new ArrayList<>();
        for (List<ImportRow> rows : bySubscriber.values()) {
            running.add(WORKERS.submit(() -> rows.forEach(row -> applyRow(job, row, created.contains(row.line()))
                    .ifPresent(error -> errors.put(error.line(), error)))));
        }
        for (Future<?> future : running) {
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while applying a page", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r
                        : new IllegalStateException("a row failed unexpectedly", e.getCause());
            }
        }
        return new ArrayList<>(errors.values());
    }

    /**
     * Creates the page's subscribers in one batch when none of them exists (their first row each); @return the lines
     * of the rows so created, empty when any exists (the batch then wrote nothing).
     */
    private Set<Long> createTogether(ImportJob job, List<ImportRow> rows) {
        Instant now = clock.instant();
        Set<String> seen = new HashSet<>();
        List<Subscriber> fresh = new ArrayList<>();
        Set<Long> lines = new HashSet<>();
        for (ImportRow row : rows) {
            if (!seen.add(row.subscriberId())) {
                continue;
            }
            try {
                fresh.add(Subscriber.create(job.account(), row.subscriberId(), now)
                        .updated(row.attributes(), row.timezone(), now));
                lines.add(row.line());
            } catch (IllegalArgumentException refused) {
                // Left to the row's own path, which reports why.
            }
        }
        if (fresh.size() < 2 || !subscriberStore.createAll(job.account(), fresh)) {
            return Set.of();
        }
        return lines;
    }

    private Optional<RowError> applyRow(ImportJob job, ImportRow row, boolean created) {
        String account = job.account();
        String id = row.subscriberId();
        try {
            if (!created) {
                if (job.welcome()) {
                    subscribers.apply(account, id, row.attributes(), row.timezone(), Optional.empty());
                } else {
                    subscribers.absorb(account, id, row.attributes(), row.timezone());
                }
            } else if (job.welcome()) {
                subscribers.welcome(account, id);
            }
        } catch (Invalid | NotFound | Conflict e) {
            return Optional.of(error(row.line(), "subscriberId", e));
        }
        for (int i = 0; i < row.sequences().size(); i++) {
            String sequenceId = row.sequences().get(i);
            try {
                enrollments.enroll(new EnrollRequest(new EnrollmentKey(account, sequenceId, id), Optional.empty(),
                        Map.of(), origin(job.id())));
            } catch (Invalid | NotFound | Conflict e) {
                return Optional.of(error(row.line(), "sequences[" + i + "]", e));
            }
        }
        return Optional.empty();
    }

    private static RowError error(long line, String field, RuntimeException e) {
        String named = e instanceof Invalid invalid ? invalid.errors().get(0).field() : field;
        return new RowError(line, named, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
}
