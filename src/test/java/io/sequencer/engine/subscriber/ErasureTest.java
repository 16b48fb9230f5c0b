package io.sequencer.engine.subscriber;

import io.sequencer.domain.limit.SendLog;
import io.sequencer.testing.ForwardingEnrollmentStore;
import io.sequencer.testing.InMemoryCapStore;
import static io.sequencer.engine.EngineFixture.ACCOUNT;
import static io.sequencer.engine.EngineFixture.SEQUENCE;
import static io.sequencer.engine.EngineFixture.draft;
import static io.sequencer.engine.EngineFixture.subscriber;
import static io.sequencer.engine.Reacting.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.channel.messenger.MessengerConfig;
import io.sequencer.domain.broadcast.Audience;
import io.sequencer.domain.broadcast.AudienceMember;
import io.sequencer.domain.broadcast.Broadcast;
import io.sequencer.domain.broadcast.BroadcastTime;
import io.sequencer.domain.broadcast.Recipient;
import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.report.Tally;
import io.sequencer.domain.subscriber.EventType;
import io.sequencer.domain.timer.Tick;
import io.sequencer.engine.EngineFixture;
import io.sequencer.engine.NotFound;
import io.sequencer.engine.Stored;
import io.sequencer.engine.enrollment.EnrollmentFilter;
import io.sequencer.engine.enrollment.EnrollmentPage;
import io.sequencer.engine.enrollment.EnrollmentStore;
import io.sequencer.engine.event.EventLog;
import io.sequencer.engine.poison.PoisonSweeper;
import io.sequencer.engine.tick.TickOutcome;
import io.sequencer.engine.idempotency.IdempotencyRecord;
import io.sequencer.engine.idempotency.RecordedAnswer;
import io.sequencer.engine.imports.ImportJob;
import io.sequencer.engine.imports.ImportPage;
import io.sequencer.engine.imports.ImportRow;
import io.sequencer.engine.imports.RowError;
import io.sequencer.engine.job.BulkAction;
import io.sequencer.engine.job.Job;
import io.sequencer.engine.job.JobRequest;
import io.sequencer.engine.job.JobStore;
import io.sequencer.testing.InMemoryBroadcastStore;
import io.sequencer.testing.InMemoryImportStore;
import io.sequencer.testing.InMemoryJobStore;
import io.sequencer.testing.InMemoryIdempotencyStore;
import io.sequencer.testing.InMemoryPoisonQueue;
import io.sequencer.testing.InMemoryPoisonedTicks;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Erasing a subscriber: nothing of theirs is left, nothing queued brings it back, a retry finishes a crash. */
class ErasureTest {
    private final World world = new World();
    private final EngineFixture engine = world.engine;
    private final InMemoryPoisonedTicks poisoned = world.poisoned;
    private Erasure erasure;

    @BeforeEach
    void annIsEverywhere() {
        world.annIsEverywhere();
        erasure = world.erasure;
    }

    private Tally total(String sequenceId) {
        return world.total(sequenceId);
    }

    private void assertAnnIsGoneAndBobIsNot() {
        world.assertAnnIsGoneAndBobIsNot();
    }

    /** Ann and Bob in two sequences, with events, poisoned ticks and a broadcast; one per test, or per crash run. */
    private static final class World {
        final EngineFixture engine = new EngineFixture();
        final InMemoryPoisonedTicks poisoned = new InMemoryPoisonedTicks();
        final InMemoryBroadcastStore broadcasts = new InMemoryBroadcastStore();
        final InMemoryIdempotencyStore answers = new InMemoryIdempotencyStore();
        final InMemoryCapStore caps = new InMemoryCapStore();
        final InMemoryJobStore jobs = new InMemoryJobStore();
        final InMemoryImportStore imports = new InMemoryImportStore();
        Erasure erasure;

        void annIsEverywhere() {
            erasure = erasure(engine.enrollmentStore, engine.subscriberStore, engine.eventLog);
            engine.catalog.define(ACCOUNT, SEQUENCE, draft(0, 3600, 3600));
            engine.catalog.define(ACCOUNT, "done", draft(0));
            for (String who : List.of("ann", "bob")) {
                engine.enrollments.enroll(subscriber(who));
                engine.enrollments.enroll(new EnrollmentKey(ACCOUNT, "done", who));
            }
            engine.runFor(Duration.ZERO);
            engine.events.record(ACCOUNT, event("ann", EventType.CLICKED).build());
            engine.events.record(ACCOUNT, event("bob", EventType.CLICKED).build());
            Tick annsNext = Tick.forNextStep(engine.enrollments.get(subscriber("ann")));
            poisoned.record(annsNext, "HTTP 500 five times", engine.clock.instant());
            poisoned.record(Tick.forNextStep(engine.enrollments.get(subscriber("bob"))), "HTTP 500", engine.clock.instant());
            broadcasts.create(Broadcast.schedule(ACCOUNT, "sale", new BroadcastTime.Local(
                            LocalDateTime.parse("2026-12-04T10:00"), ZoneId.of("Europe/Berlin")),
                    new MessengerConfig("1234", "PAGE_TOKEN", "21.0"), "{\"text\":\"Sale\"}", Optional.empty(),
                    new Audience(2, "d2", false, Optional.empty()), engine.clock.instant()),
                    List.of(AudienceMember.of("ann"), AudienceMember.of("bob")));
            for (String who : List.of("ann", "bob")) {
            answers.create(IdempotencyRecord.running(ACCOUNT, "key-" + who, "fp", "c", engine.clock.instant(),
                    engine.clock.instant().plusSeconds(120)));
            answers.replace(answers.find(ACCOUNT, "key-" + who).orElseThrow().value().answered(new RecordedAnswer(201,
                    "application/json", "{\"subscriberId\":\"" + who + "\"}"), engine.clock.instant()),
                    answers.find(ACCOUNT, "key-" + who).orElseThrow().etag());
        }
        broadcasts.addRecipients(ACCOUNT, "sale", List.of(Recipient.pending(ACCOUNT, "sale", "ann", engine.clock.instant())));
        for (String who : List.of("ann", "bob")) {
            caps.createLog(ACCOUNT, who, SendLog.EMPTY.with(new SendLog.Entry("d-" + who, engine.clock.instant(), "webhook"),
                    Duration.ofDays(1)));
        }
            annIsInAJobAndAnImport();
        }

        /**
         * A bulk leave listing Ann between Bob and Cat, its first page claimed and an error of Ann's kept; an import
         * with a page of Ann's and Bob's rows still staged, a page of Ann's alone, and row errors of both.
         */
        void annIsInAJobAndAnImport() {
            java.time.Instant now = engine.clock.instant();
            JobRequest request = new JobRequest(SEQUENCE, BulkAction.LEAVE, Optional.empty(),
                    new JobRequest.Listed(List.of("bob", "ann", "cat")));
            jobs.create(new Job(ACCOUNT, "job-1", request, 0, Optional.empty(),
                    Optional.of(new Job.Claim(List.of("bob", "ann", "cat"), Optional.empty(), true)), false, 3, 1,
                    List.of(new Job.ItemError("ann", "conflict", "enrollment ann is changing")), Optional.empty(),
                    now, now));
            imports.create(new ImportJob(ACCOUNT, "imp-1", "csv", true, List.of("subscriberId"), 1, true, 5, 4, 2, 0,
                    0, 0, Optional.empty(), now, now));
            imports.stage(ACCOUNT, "imp-1", List.of(
                    new ImportPage(0, List.of(row(2, "ann"), row(3, "bob"))), new ImportPage(1, List.of(row(4, "ann")))));
            imports.recordErrors(ACCOUNT, "imp-1", List.of(new RowError(5, "sequences", "sequence x for ann. is missing"),
                    new RowError(6, "sequences", "sequence x for bob is missing"),
                    new RowError(7, "sequences", "sequence x for annabel is missing")));
        }

        private static ImportRow row(long line, String who) {
            return new ImportRow(line, who, Optional.empty(), Map.of(), List.of(SEQUENCE));
        }

        Erasure erasure(EnrollmentStore enrollments, SubscriberStore subscribers, EventLog events) {
            return new Erasure(subscribers, enrollments, events, Optional.of(poisoned), Optional.of(broadcasts), Optional.of(answers),
                    Optional.of(caps), Optional.of(jobs), Optional.of(imports), engine.clock);
        }

        void assertAnnIsGoneFromTheJobAndTheImport() {
            Job job = jobs.find(ACCOUNT, "job-1").orElseThrow().value();
            assertThat(((JobRequest.Listed) job.request().selection()).subscriberIds()).as("listed, in place")
                    .containsExactly("bob", JobRequest.ERASED, "cat");
            assertThat(job.claimed().orElseThrow().subscriberIds()).containsExactly("bob", JobRequest.ERASED, "cat");
            assertThat(job.errors()).containsExactly(Job.ItemError.erased());
            assertThat(job.names("ann")).isFalse();
            assertThat(job.processed()).as("counts kept").isEqualTo(3);
            assertThat(imports.staged(ACCOUNT, "imp-1")).extracting(ImportPage::number, p -> p.rows().stream()
                            .map(ImportRow::subscriberId).toList())
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(0, List.of("bob")),
                            org.assertj.core.groups.Tuple.tuple(1, List.of()));
            assertThat(imports.errors(ACCOUNT, "imp-1", 0, 10)).extracting(RowError::reason).containsExactly(
                    WorkErasure.ERASED_REASON, "sequence x for bob is missing", "sequence x for annabel is missing");
        }

        Tally total(String sequenceId) {
            return engine.enrollmentStore.tally(ACCOUNT, sequenceId).values().stream().reduce(Tally.EMPTY, Tally::plus);
        }

        void assertAnnIsGoneAndBobIsNot() {
            assertThat(engine.subscriberStore.find(ACCOUNT, "ann")).isEmpty();
            for (String sequenceId : List.of(SEQUENCE, "done")) {
                assertThat(engine.enrollmentStore.find(new EnrollmentKey(ACCOUNT, sequenceId, "ann"))).isEmpty();
                assertThat(engine.enrollmentStore.find(new EnrollmentKey(ACCOUNT, sequenceId, "bob"))).isPresent();
            }
            assertThat(engine.eventLog.read(ACCOUNT, "ann", Optional.empty(), 10)).isEmpty();
            assertThat(engine.eventLog.read(ACCOUNT, "bob", Optional.empty(), 10)).hasSize(1);
            assertThat(poisoned.list(ACCOUNT, SEQUENCE, Optional.empty(), 10).entries())
                    .extracting(e -> e.value().tick().key().subscriberId()).containsExactly("bob");
            assertThat(broadcasts.listedPage(ACCOUNT, "sale", 0)).containsExactly(AudienceMember.of("bob"));
            assertThat(broadcasts.recipient(ACCOUNT, "sale", "ann")).isEmpty();
            assertThat(caps.log(ACCOUNT, "ann")).as("the frequency caps' send log").isEmpty();
            assertThat(caps.log(ACCOUNT, "bob")).isPresent();
        assertThat(answers.find(ACCOUNT, "key-ann")).isEmpty();
        assertThat(answers.find(ACCOUNT, "key-bob")).isPresent();
            assertAnnIsGoneFromTheJobAndTheImport();
            assertThatThrownBy(() -> engine.timeline.page(ACCOUNT, "ann", 10, Optional.empty())).isInstanceOf(NotFound.class);
            EnrollmentPage listed = engine.enrollmentStore.page(ACCOUNT, SEQUENCE, EnrollmentFilter.ALL, Optional.empty(), 10);
            assertThat(listed.enrollments()).extracting(e -> e.key().subscriberId()).containsExactly("bob");
        }
    }

    @Test
    void erasing_removes_profile_enrollments_events_poisoned_ticks_and_broadcast_places_and_keeps_the_counts() {
        Tally before = total(SEQUENCE);
        Erasure.Erased erased = erasure.erase(ACCOUNT, "ann");

        assertThat(erased).isEqualTo(new Erasure.Erased(true, 2, 1));
        assertAnnIsGoneAndBobIsNot();
        Tally after = total(SEQUENCE);
        assertThat(after.get("enrolled")).isEqualTo(before.get("enrolled"));
        assertThat(after.get("step|step-1|sent")).isEqualTo(before.get("step|step-1|sent"));
        assertThat(after.get("left|opted_out")).as("the active enrollment ended as it was erased").isEqualTo(1);
        assertThat(total("done").get("completed")).isEqualTo(2);
    }

    @Test
    void erasing_again_or_erasing_someone_never_seen_changes_nothing() {
        erasure.erase(ACCOUNT, "ann");
        Tally once = total(SEQUENCE);
        assertThat(erasure.erase(ACCOUNT, "ann")).isEqualTo(new Erasure.Erased(false, 0, 0));
        assertThat(erasure.erase(ACCOUNT, "nobody")).isEqualTo(new Erasure.Erased(false, 0, 0));
        assertThat(total(SEQUENCE)).isEqualTo(once);
        assertAnnIsGoneAndBobIsNot();
    }

    @Test
    void ticks_already_queued_for_an_erased_subscriber_are_dropped_and_write_nothing() {
        erasure.erase(ACCOUNT, "ann");
        Tally erased = total(SEQUENCE);
        int sentBefore = engine.channel.deliveries().size();
        engine.runFor(Duration.ofDays(1));

        assertThat(engine.channel.deliveries().subList(sentBefore, engine.channel.deliveries().size()))
                .extracting(d -> d.key().subscriberId()).containsOnly("bob");
        assertThat(engine.outcomes).filteredOn(TickOutcome.Dropped.class::isInstance)
                .extracting(o -> ((TickOutcome.Dropped) o).reason())
                .contains("no enrollment, and no subscriber profile waiting for one");
        assertThat(engine.queue.pending()).isEmpty();
        assertAnnIsGoneAndBobIsNot();
        assertThat(total(SEQUENCE).get("left|opted_out")).isEqualTo(erased.get("left|opted_out"));
    }

    @Test
    void a_poisoned_tick_of_an_erased_subscriber_is_swept_away_unrecorded() {
        Tick annsNext = Tick.forNextStep(engine.enrollments.get(subscriber("ann")));
        Tick bobsNext = Tick.forNextStep(engine.enrollments.get(subscriber("bob")));
        erasure.erase(ACCOUNT, "ann");
        InMemoryPoisonQueue queue = new InMemoryPoisonQueue(engine.clock);
        queue.put(annsNext);
        queue.put(bobsNext);
        InMemoryPoisonedTicks fresh = new InMemoryPoisonedTicks();
        PoisonSweeper sweeper = engine.builder().poisonedTicks(fresh)
                .poisonQueues(List.of(new PoisonSweeper.Source(queue, "test"))).build().poisonSweeper();

        sweeper.run(10, Duration.ofMinutes(1));

        assertThat(queue.size()).isZero();
        assertThat(fresh.list(ACCOUNT, SEQUENCE, Optional.empty(), 10).entries())
                .extracting(e -> e.value().tick().key().subscriberId()).containsExactly("bob");
    }

    @Test
    void a_job_page_that_commits_while_the_erasure_writes_the_job_is_read_again_and_erased_from() {
        World racing = new World();
        racing.engine.catalog.define(ACCOUNT, SEQUENCE, draft(0));
        racing.annIsInAJobAndAnImport();
        AtomicInteger replaces = new AtomicInteger();
        JobStore committingFirst = new JobStore() {
            public Optional<Stored<Job>> find(String account, String jobId) {
                return racing.jobs.find(account, jobId);
            }

            public List<Stored<Job>> list(String account) {
                return racing.jobs.list(account);
            }

            public void create(Job job) {
                racing.jobs.create(job);
            }

            public void replace(Stored<Job> current, Job next) {
                if (replaces.incrementAndGet() == 1) { // the page commits first, with an error of Bob's
                    Stored<Job> now = racing.jobs.find(ACCOUNT, "job-1").orElseThrow();
                    racing.jobs.replace(now, now.value().committed(List.of(new Job.ItemError("bob", "not_found",
                            "enrollment of bob not found")), racing.engine.clock.instant()));
                }
                racing.jobs.replace(current, next);
            }
        };
        Erasure erasure = new Erasure(racing.engine.subscriberStore, racing.engine.enrollmentStore,
                racing.engine.eventLog, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(committingFirst), Optional.of(racing.imports), racing.engine.clock);

        erasure.erase(ACCOUNT, "ann");

        assertThat(replaces.get()).as("written again after the race").isEqualTo(2);
        Job job = racing.jobs.find(ACCOUNT, "job-1").orElseThrow().value();
        assertThat(job.names("ann")).isFalse();
        assertThat(job.claimed()).as("the page committed").isEmpty();
        assertThat(job.errors()).containsExactly(Job.ItemError.erased(),
                new Job.ItemError("bob", "not_found", "enrollment of bob not found"));
    }

    @Test
    void an_erased_subscriber_may_opt_in_afresh() {
        erasure.erase(ACCOUNT, "ann");
        assertThat(engine.enrollments.enroll(subscriber("ann")).created()).isTrue();
        assertThat(engine.subscribers.get(ACCOUNT, "ann").optedOut()).isFalse();
    }

    @Test
    void an_erasure_that_dies_at_any_write_is_finished_by_its_retry() {
        for (int dieAt = 1; ; dieAt++) {
            World again = new World();
            again.annIsEverywhere();
            EngineFixture fresh = again.engine;
            AtomicInteger writes = new AtomicInteger();
            int fatal = dieAt;
            Runnable write = () -> {
                if (writes.incrementAndGet() == fatal) {
                    throw new IllegalStateException("process died");
                }
            };
            Erasure dying = again.erasure(dyingEnrollments(fresh, write), dyingSubscribers(fresh, write),
                    dyingEvents(fresh, write));
            try {
                dying.erase(ACCOUNT, "ann");
                assertThat(writes.get()).as("every write was reached").isLessThan(fatal);
                again.assertAnnIsGoneAndBobIsNot();
                return;
            } catch (IllegalStateException died) {
                again.erasure.erase(ACCOUNT, "ann");
                again.assertAnnIsGoneAndBobIsNot();
                assertThat(again.total(SEQUENCE).get("left|opted_out")).isEqualTo(1);
            }
        }
    }


    private static EnrollmentStore dyingEnrollments(EngineFixture f, Runnable write) {
        EnrollmentStore real = f.enrollmentStore;
        return new ForwardingEnrollmentStore(real) {

            public void create(Enrollment enrollment) {
                write.run();
                real.create(enrollment);
            }

            public void replace(Stored<Enrollment> current, Enrollment next) {
                write.run();
                real.replace(current, next);
            }

            public void delete(Stored<Enrollment> current) {
                write.run();
                real.delete(current);
            }
        };
    }

    private static SubscriberStore dyingSubscribers(EngineFixture f, Runnable write) {
        SubscriberStore real = f.subscriberStore;
        return new SubscriberStore() {
            public Optional<Stored<io.sequencer.domain.subscriber.Subscriber>> find(String a, String s) {
                return real.find(a, s);
            }

            public void create(io.sequencer.domain.subscriber.Subscriber s) {
                write.run();
                real.create(s);
            }

            public void replace(io.sequencer.domain.subscriber.Subscriber s, String etag) {
                write.run();
                real.replace(s, etag);
            }

            public void delete(String a, String s, String etag) {
                write.run();
                real.delete(a, s, etag);
            }

            public List<io.sequencer.domain.subscriber.Subscriber> page(String a, Optional<String> after, int max) {
                return real.page(a, after, max);
            }
        };
    }

    private static EventLog dyingEvents(EngineFixture f, Runnable write) {
        EventLog real = f.eventLog;
        return new EventLog() {
            public void append(String a, String s, List<io.sequencer.domain.subscriber.TimelineEntry.Reported> events) {
                write.run();
                real.append(a, s, events);
            }

            public int erase(String a, String s) {
                write.run();
                return real.erase(a, s);
            }

            public List<io.sequencer.domain.subscriber.TimelineEntry.Reported> read(String a, String s,
                    Optional<io.sequencer.domain.subscriber.TimelinePosition> after, int limit) {
                return real.read(a, s, after, limit);
            }
        };
    }
}
