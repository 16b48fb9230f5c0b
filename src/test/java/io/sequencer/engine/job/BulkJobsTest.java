package io.sequencer.engine.job;

import static io.sequencer.engine.EngineFixture.ACCOUNT;
import static io.sequencer.engine.EngineFixture.SEQUENCE;
import static io.sequencer.engine.EngineFixture.draft;
import static io.sequencer.engine.EngineFixture.subscriber;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.domain.Invalid;
import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentStatus;
import io.sequencer.domain.enrollment.LeaveReason;
import io.sequencer.engine.Conflict;
import io.sequencer.engine.EngineFixture;
import io.sequencer.engine.NotFound;
import io.sequencer.engine.Stored;
import io.sequencer.engine.enrollment.EnrollmentFilter;
import io.sequencer.engine.enrollment.EnrollmentPage;
import io.sequencer.engine.enrollment.EnrollmentStore;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.report.Tally;
import io.sequencer.testing.InMemoryJobQueue;
import io.sequencer.testing.InMemoryJobStore;
import io.sequencer.testing.WaitingScan;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Bulk leaves and moves run as paged jobs on in-memory ports: exact, resumable and idempotent. */
class BulkJobsTest {
    private final EngineFixture engine = new EngineFixture();
    private final InMemoryJobStore jobStore = new InMemoryJobStore();
    private final InMemoryJobQueue jobQueue = new InMemoryJobQueue(engine.clock);

    private BulkJobs jobs(EnrollmentStore enrollments, io.sequencer.engine.job.JobStore store) {
        return engine.builder().stores(engine.sequenceStore, enrollments, engine.subscriberStore)
                .jobs(store, jobQueue).build().jobs();
    }

    private void enroll(int count) {
        engine.catalog.define(ACCOUNT, SEQUENCE, draft(0, 3600, 3600));
        for (int i = 0; i < count; i++) {
            engine.enrollments.enroll(subscriber(id(i)));
        }
        engine.handleVisible(); // step-1 sent at once: everyone waits for step-2
    }

    private static String id(int i) {
        return "s%04d".formatted(i);
    }

    /** Plays the queue trigger: handles every page visible, puts a failed one back, steps the clock to later ones. */
    private int runPages(BulkJobs jobs) {
        int failures = 0;
        for (int round = 0; round < 10_000; round++) {
            Optional<JobPage> next = jobQueue.takeNextVisible();
            if (next.isEmpty()) {
                Optional<java.time.Instant> at = jobQueue.nextVisibleAt();
                if (at.isEmpty()) {
                    return failures;
                }
                engine.clock.set(at.get());
                continue;
            }
            try {
                jobs.handle(next.get());
            } catch (RuntimeException crash) {
                failures++;
                jobQueue.putBack(next.get());
            }
        }
        throw new AssertionError("the job did not finish");
    }

    private static JobRequest leave(List<String> ids) {
        return new JobRequest(SEQUENCE, BulkAction.LEAVE, Optional.empty(), new JobRequest.Listed(ids));
    }

    @Test
    void a_listed_leave_runs_in_pages_and_reports_each_missing_subscriber_without_stopping() {
        enroll(250);
        BulkJobs jobs = jobs(engine.enrollmentStore, jobStore);
        List<String> ids = new ArrayList<>(IntStream.range(0, 250).mapToObj(BulkJobsTest::id).toList());
        ids.add(120, "nobody-1");
        ids.add("nobody-2");
        Job started = jobs.start(ACCOUNT, leave(ids), Optional.empty());
        assertThat(started.status()).isEqualTo(Job.Status.RUNNING);
        assertThat(started.total()).contains(252L);

        runPages(jobs);

        Job done = jobs.get(ACCOUNT, started.id());
        assertThat(done.status()).isEqualTo(Job.Status.DONE);
        assertThat(done.page()).isEqualTo(3);
        assertThat(done.processed()).isEqualTo(252);
        assertThat(done.failed()).isEqualTo(2);
        assertThat(done.errors()).extracting(Job.ItemError::subscriberId, Job.ItemError::kind)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("nobody-1", "not_found"),
                        org.assertj.core.groups.Tuple.tuple("nobody-2", "not_found"));
        for (int i = 0; i < 250; i++) {
            assertThat(engine.enrollments.get(subscriber(id(i))).leaveReason()).contains(LeaveReason.UNSUBSCRIBED);
        }
        assertThat(WaitingScan.gauges(engine.enrollmentStore, ACCOUNT, SEQUENCE)).isEmpty();
    }

    @Test
    void subscribers_erased_while_a_job_runs_keep_their_places_and_report_as_erased() {
        enroll(250);
        BulkJobs jobs = jobs(engine.enrollmentStore, jobStore);
        List<String> ids = IntStream.range(0, 250).mapToObj(BulkJobsTest::id).toList();
        Job started = jobs.start(ACCOUNT, leave(ids), Optional.empty());
        jobs.handle(jobQueue.takeNextVisible().orElseThrow()); // page 0 ran: s0000 to s0099
        for (String erased : List.of(id(10), id(150), id(160))) {
            Stored<Job> current = jobStore.find(ACCOUNT, started.id()).orElseThrow();
            jobStore.replace(current, current.value().erasing(erased, engine.clock.instant()));
        }

        runPages(jobs);

        Job done = jobs.get(ACCOUNT, started.id());
        assertThat(done.status()).isEqualTo(Job.Status.DONE);
        assertThat(done.processed()).as("every place is still counted").isEqualTo(250);
        assertThat(done.failed()).as("the two not reached yet").isEqualTo(2);
        assertThat(done.errors()).containsExactly(Job.ItemError.erased(), Job.ItemError.erased());
        assertThat(((JobRequest.Listed) done.request().selection()).subscriberIds())
                .hasSize(250).doesNotContain(id(10), id(150), id(160));
        for (int i = 100; i < 250; i++) {
            if (i != 150 && i != 160) {
                assertThat(engine.enrollments.get(subscriber(id(i))).leaveReason()).as(id(i))
                        .contains(LeaveReason.UNSUBSCRIBED);
            }
        }
        assertThat(engine.enrollments.get(subscriber(id(150))).isActive()).as("not acted on by the job").isTrue();
    }

    @Test
    void an_error_of_a_subscriber_erased_while_its_page_ran_is_kept_as_erased() {
        Job claimed = Job.start(ACCOUNT, "job-1", leave(List.of("ann", "bob")), engine.clock.instant())
                .claiming(new Job.Claim(List.of("ann", "bob"), Optional.empty(), true), engine.clock.instant());
        Job erased = claimed.erasing("ann", engine.clock.instant());

        Job committed = erased.committed(List.of(new Job.ItemError("ann", "not_found", "enrollment ann not found"),
                new Job.ItemError("bob", "not_found", "enrollment bob not found")), engine.clock.instant());

        assertThat(committed.errors()).containsExactly(Job.ItemError.erased(),
                new Job.ItemError("bob", "not_found", "enrollment bob not found"));
        assertThat(committed.names("ann")).isFalse();
    }

    @Test
    void the_erased_marker_is_no_id_and_a_listing_keeps_every_one_in_place() {
        assertThat(new JobRequest.Listed(List.of("a", JobRequest.ERASED, JobRequest.ERASED, "a")).subscriberIds())
                .containsExactly("a", JobRequest.ERASED, JobRequest.ERASED);
        assertThat(io.sequencer.domain.Ids.problemWith(JobRequest.ERASED)).isPresent();
    }

    private io.sequencer.engine.subscriber.Erasure erasure() {
        return new io.sequencer.engine.subscriber.Erasure(engine.subscriberStore, engine.enrollmentStore,
                engine.eventLog, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(jobStore), Optional.empty(), engine.clock);
    }

    private static JobRequest leaveActive() {
        return new JobRequest(SEQUENCE, BulkAction.LEAVE, Optional.empty(),
                new JobRequest.Filtered(new EnrollmentFilter(Set.of(EnrollmentStatus.ACTIVE), Optional.empty())));
    }

    private Tally total() {
        return engine.enrollmentStore.tally(ACCOUNT, SEQUENCE).values().stream().reduce(Tally.EMPTY, Tally::plus);
    }

    /** The job as it is stored, every field of it, as text. */
    private String storedForm(String jobId) {
        return io.sequencer.adapters.json.stored.StoredJob.write(jobStore.find(ACCOUNT, jobId).orElseThrow().value())
                .toString();
    }

    @Test
    void a_filtered_job_whose_resume_point_is_an_erased_subscriber_goes_on_at_the_next_and_ends_exact() {
        enroll(250);
        engine.enrollments.leave(subscriber(id(3)));
        BulkJobs jobs = jobs(engine.enrollmentStore, jobStore);
        Job started = jobs.start(ACCOUNT, leaveActive(), Optional.empty());
        jobs.handle(jobQueue.takeNextVisible().orElseThrow()); // page 0: s0000 to s0100 without s0003
        assertThat(jobStore.find(ACCOUNT, started.id()).orElseThrow().value().cursor())
                .as("the resume point names the next in line").contains(id(101));

        erasure().erase(ACCOUNT, id(101));

        assertThat(storedForm(started.id())).doesNotContain(id(101));
        runPages(jobs);
        Job done = jobs.get(ACCOUNT, started.id());
        assertThat(done.status()).isEqualTo(Job.Status.DONE);
        assertThat(done.processed()).as("every active one but the erased").isEqualTo(248);
        assertThat(done.failed()).isZero();
        assertThat(storedForm(started.id())).doesNotContain(id(101));
        for (int i = 0; i < 250; i++) {
            if (i != 101) {
                assertThat(engine.enrollments.get(subscriber(id(i))).leaveReason()).as(id(i))
                        .contains(LeaveReason.UNSUBSCRIBED);
            }
        }
        Tally all = total();
        assertThat(all.get(Tally.left(LeaveReason.UNSUBSCRIBED))).as("each left once, s0003 before").isEqualTo(249);
        assertThat(all.get(Tally.left(LeaveReason.OPTED_OUT))).as("the erased one").isEqualTo(1);
        assertThat(WaitingScan.gauges(engine.enrollmentStore, ACCOUNT, SEQUENCE)).isEmpty();
    }

    @Test
    void a_resume_point_at_a_subscriber_whose_enrollment_is_still_there_is_kept() {
        enroll(150);
        BulkJobs jobs = jobs(engine.enrollmentStore, jobStore);
        Job started = jobs.start(ACCOUNT, leaveActive(), Optional.empty());
        jobs.handle(jobQueue.takeNextVisible().orElseThrow()); // page 0: s0000 to s0099, resuming at s0100
        // An enrollment no profile lists (written by an enroll racing an earlier erasure): this erasure misses it.
        engine.subscriberStore.delete(ACCOUNT, id(100),
                engine.subscriberStore.find(ACCOUNT, id(100)).orElseThrow().etag());

        erasure().erase(ACCOUNT, id(100));

        assertThat(jobStore.find(ACCOUNT, started.id()).orElseThrow().value().cursor()).contains(id(100));
        runPages(jobs);
        assertThat(jobs.get(ACCOUNT, started.id()).processed()).as("nobody skipped").isEqualTo(150);
        assertThat(engine.enrollments.get(subscriber(id(100))).leaveReason()).contains(LeaveReason.UNSUBSCRIBED);
    }

    @Test
    void a_claimed_page_going_on_at_an_erased_subscriber_with_nobody_after_them_ends_the_job_exact() {
        enroll(101);
        BulkJobs jobs = jobs(engine.enrollmentStore, jobStore);
        Job started = jobs.start(ACCOUNT, leaveActive(), Optional.empty());
        // The first page claimed as the job claims it (s0000 to s0099, next at s0100), not yet acted on.
        EnrollmentPage first = engine.enrollmentStore.page(ACCOUNT, SEQUENCE,
                new EnrollmentFilter(Set.of(EnrollmentStatus.ACTIVE), Optional.empty()), Optional.empty(), Job.PAGE);
        assertThat(first.next()).contains(id(100));
        Stored<Job> stored = jobStore.find(ACCOUNT, started.id()).orElseThrow();
        jobStore.replace(stored, stored.value().claiming(new Job.Claim(first.enrollments().stream()
                .map(e -> e.key().subscriberId()).toList(), first.next(), false), engine.clock.instant()));

        erasure().erase(ACCOUNT, id(100));

        assertThat(storedForm(started.id())).doesNotContain(id(100));
        assertThat(jobStore.find(ACCOUNT, started.id()).orElseThrow().value().claimed().orElseThrow().next())
                .as("a position past every subscriber, not the start").isPresent();
        runPages(jobs);
        Job done = jobs.get(ACCOUNT, started.id());
        assertThat(done.status()).isEqualTo(Job.Status.DONE);
        assertThat(done.processed()).isEqualTo(100);
        assertThat(done.failed()).isZero();
        assertThat(done.page()).as("the claimed page, then an empty last one").isEqualTo(2);
        assertThat(storedForm(started.id())).doesNotContain(id(100));
        assertThat(total().get(Tally.left(LeaveReason.UNSUBSCRIBED))).isEqualTo(100);
    }

    @Test
    void a_filtered_move_sends_the_target_step_next_and_moves_the_waiting_counts() {
        enroll(30);
        engine.enrollments.leave(subscriber(id(3)));
        BulkJobs jobs = jobs(engine.enrollmentStore, jobStore);
        Job started = jobs.start(ACCOUNT, new JobRequest(SEQUENCE, BulkAction.MOVE, Optional.of("step-3"),
                new JobRequest.Filtered(new EnrollmentFilter(Set.of(EnrollmentStatus.ACTIVE), Optional.of("step-2")))),
                Optional.empty());
        runPages(jobs);

        Job done = jobs.get(ACCOUNT, started.id());
        assertThat(done.status()).isEqualTo(Job.Status.DONE);
        assertThat(done.processed()).isEqualTo(29);
        assertThat(done.failed()).isZero();
        assertThat(done.total()).contains(29L);
        assertThat(WaitingScan.gauges(engine.enrollmentStore, ACCOUNT, SEQUENCE)).isEqualTo(Map.of("step-3", 29L));
        int sentBefore = engine.channel.deliveries().size();
        engine.runFor(Duration.ofHours(3));
        List<String> sent = engine.channel.deliveries().subList(sentBefore, engine.channel.deliveries().size()).stream()
                .map(d -> d.stepId()).distinct().toList();
        assertThat(sent).as("step-2 was skipped by the move").containsExactly("step-3");
        assertThat(engine.enrollments.get(subscriber(id(0))).status()).isEqualTo(EnrollmentStatus.COMPLETED);
        assertThat(WaitingScan.gauges(engine.enrollmentStore, ACCOUNT, SEQUENCE)).isEmpty();
    }

    @Test
    void moving_an_ended_enrollment_or_to_a_missing_step_is_refused() {
        enroll(2);
        engine.enrollments.leave(subscriber(id(1)));
        assertThatThrownBy(() -> engine.enrollments.move(subscriber(id(1)), "step-3")).isInstanceOf(Conflict.class);
        assertThatThrownBy(() -> engine.enrollments.move(subscriber(id(0)), "step-9")).isInstanceOf(Invalid.class);
        assertThatThrownBy(() -> engine.enrollments.move(subscriber("nobody"), "step-3")).isInstanceOf(NotFound.class);
        Enrollment moved = engine.enrollments.move(subscriber(id(0)), "step-3");
        assertThat(engine.enrollments.move(subscriber(id(0)), "step-3")).as("a repeat changes nothing").isEqualTo(moved);
        BulkJobs jobs = jobs(engine.enrollmentStore, jobStore);
        assertThatThrownBy(() -> jobs.start(ACCOUNT, new JobRequest(SEQUENCE, BulkAction.MOVE, Optional.of("step-9"),
                new JobRequest.Filtered(EnrollmentFilter.ALL)), Optional.empty())).isInstanceOf(Invalid.class)
                .hasMessageContaining("step-9");
        assertThatThrownBy(() -> leave(IntStream.range(0, JobRequest.MAX_IDS + 1).mapToObj(BulkJobsTest::id).toList()))
                .isInstanceOf(Invalid.class);
        assertThatThrownBy(() -> jobs.start(ACCOUNT, new JobRequest("missing", BulkAction.LEAVE, Optional.empty(),
                new JobRequest.Filtered(EnrollmentFilter.ALL)), Optional.empty())).isInstanceOf(NotFound.class);
    }

    @Test
    void the_same_idempotency_key_finds_the_same_job_and_another_request_under_it_is_a_conflict() {
        enroll(5);
        BulkJobs jobs = jobs(engine.enrollmentStore, jobStore);
        Job first = jobs.start(ACCOUNT, leave(List.of(id(0), id(1))), Optional.of("k-1"));
        int queued = jobQueue.size();
        Job again = jobs.start(ACCOUNT, leave(List.of(id(0), id(1))), Optional.of("k-1"));
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(jobStore.size()).isEqualTo(1);
        assertThat(jobQueue.size()).as("nothing new queued").isEqualTo(queued);
        assertThatThrownBy(() -> jobs.start(ACCOUNT, leave(List.of(id(2))), Optional.of("k-1")))
                .isInstanceOf(Conflict.class);
        runPages(jobs);
        assertThat(jobs.start(ACCOUNT, leave(List.of(id(0), id(1))), Optional.of("k-1")).status())
                .isEqualTo(Job.Status.DONE);
        assertThat(engine.enrollments.get(subscriber(id(2))).isActive()).isTrue();
    }

    @Test
    void a_crash_at_any_store_call_repeats_the_page_and_the_job_and_the_counts_end_exact() {
        for (int crashAt = 1; crashAt <= 40; crashAt++) {
            for (boolean afterWrite : new boolean[] {false, true}) {
                BulkJobsTest run = new BulkJobsTest();
                run.crashRun(crashAt, afterWrite);
            }
        }
    }

    /** One run where the {@code crashAt}-th write (job or enrollment) fails, before or after it landed. */
    private void crashRun(int crashAt, boolean afterWrite) {
        enroll(150);
        AtomicInteger writes = new AtomicInteger();
        Runnable maybeCrash = () -> {
            if (writes.incrementAndGet() == crashAt) {
                throw new IllegalStateException("storage failed at write " + crashAt);
            }
        };
        BulkJobs jobs = jobs(new CrashingEnrollments(engine.enrollmentStore, maybeCrash, afterWrite),
                new CrashingJobs(jobStore, maybeCrash, afterWrite));
        List<String> ids = IntStream.range(0, 150).filter(i -> i % 3 != 0).mapToObj(BulkJobsTest::id).toList();
        Job started;
        try {
            started = jobs.start(ACCOUNT, leave(ids), Optional.of("crash"));
        } catch (IllegalStateException crashed) {
            started = jobs.start(ACCOUNT, leave(ids), Optional.of("crash")); // the caller's retry
        }
        runPages(jobs);
        Job done = jobs.get(ACCOUNT, started.id());
        String run = "crash at write " + crashAt + (afterWrite ? " after it landed" : " before it landed");
        assertThat(done.status()).as(run).isEqualTo(Job.Status.DONE);
        assertThat(done.processed()).as(run).isEqualTo(100);
        assertThat(done.failed()).as(run).isZero();
        for (int i = 0; i < 150; i++) {
            assertThat(engine.enrollments.get(subscriber(id(i))).isActive()).as(run + ": " + id(i)).isEqualTo(i % 3 == 0);
        }
        assertThat(WaitingScan.gauges(engine.enrollmentStore, ACCOUNT, SEQUENCE)).as(run)
                .isEqualTo(WaitingScan.scanned(engine.enrollmentStore, ACCOUNT, SEQUENCE)).isEqualTo(Map.of("step-2", 50L));
        Tally all = engine.enrollmentStore.tally(ACCOUNT, SEQUENCE).values().stream().reduce(Tally.EMPTY, Tally::plus);
        assertThat(all.get("left|unsubscribed")).as(run).isEqualTo(100);
    }

    /** Enrollment writes that fail once, at the write {@code crash} picks, before or after they land. */
    private record CrashingEnrollments(EnrollmentStore store, Runnable crash, boolean after) implements EnrollmentStore {
        public Optional<Stored<Enrollment>> find(EnrollmentKey key) {
            return store.find(key);
        }

        public void create(Enrollment enrollment) {
            around(() -> store.create(enrollment));
        }

        public void createAll(List<Enrollment> enrollments) {
            around(() -> store.createAll(enrollments));
        }

        public void replace(Stored<Enrollment> current, Enrollment next) {
            around(() -> store.replace(current, next));
        }

        public EnrollmentPage page(String a, String s, EnrollmentFilter f, Optional<String> from, int limit) {
            return store.page(a, s, f, from, limit);
        }

        @Override
        public Optional<String> past(String a, String s, String from, String subscriberId) {
            return store.past(a, s, from, subscriberId);
        }

        public void delete(Stored<Enrollment> current) {
            around(() -> store.delete(current));
        }

        public SortedMap<LocalDate, Tally> tally(String a, String s) {
            return store.tally(a, s);
        }

        private void around(Runnable write) {
            if (!after) {
                crash.run();
            }
            write.run();
            if (after) {
                crash.run();
            }
        }
    }

    /** Job writes that fail once, at the write {@code crash} picks, before or after they land. */
    private record CrashingJobs(JobStore store, Runnable crash, boolean after) implements JobStore {
        public Optional<Stored<Job>> find(String account, String jobId) {
            return store.find(account, jobId);
        }

        public List<Stored<Job>> list(String account) {
            return store.list(account);
        }

        public void create(Job job) {
            around(() -> store.create(job));
        }

        public void replace(Stored<Job> current, Job next) {
            around(() -> store.replace(current, next));
        }

        private void around(Runnable write) {
            if (!after) {
                crash.run();
            }
            write.run();
            if (after) {
                crash.run();
            }
        }
    }
}
