package io.sequencer.engine.imports;

import static io.sequencer.engine.EngineFixture.ACCOUNT;
import static io.sequencer.engine.Reacting.sequence;
import static io.sequencer.engine.Reacting.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.adapters.json.ImportFormats;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.sequence.ReentryPolicy;
import io.sequencer.domain.sequence.SequenceRules;
import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.engine.Conflict;
import io.sequencer.engine.EngineFixture;
import io.sequencer.engine.Sequencer;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import io.sequencer.testing.InMemoryImportQueue;
import io.sequencer.testing.InMemoryImportStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Imports on in-memory stores: parts staged in pages, pages applied by the queued job, crashes and races. */
class ImportsTest {
    private static final SequenceRules WELCOME = new SequenceRules(ReentryPolicy.NEVER, List.of(), List.of(), true);

    private final EngineFixture engine = new EngineFixture();
    private final FlakyImportStore store = new FlakyImportStore(new InMemoryImportStore());
    private final InMemoryImportQueue queue = new InMemoryImportQueue();
    private final Sequencer sequencer = engine.builder().imports(store, queue).build();
    private final Imports imports = sequencer.imports();
    private final ImportPages pages = sequencer.importPages();

    ImportsTest() {
        engine.catalog.define(ACCOUNT, "welcome", sequence(WELCOME, step("hi", 0)));
        engine.catalog.define(ACCOUNT, "nurture", sequence(step("one", 3600)));
    }

    private static ImportFile csv(String text) {
        return ImportFormats.part(ImportFormats.Format.CSV, text);
    }

    private static String rows(int from, int to, String sequences) {
        return IntStream.range(from, to).mapToObj(i -> String.format("s%04d,gold,%s\n", i, sequences))
                .collect(Collectors.joining());
    }

    /** Plays the queue trigger: runs the page job for every message until none is left. */
    private List<ImportPages.Outcome> drain() {
        List<ImportPages.Outcome> outcomes = new ArrayList<>();
        Optional<InMemoryImportQueue.Wake> wake;
        while ((wake = queue.take()).isPresent()) {
            outcomes.add(pages.run(wake.get().account(), wake.get().importId()));
        }
        return outcomes;
    }

    private boolean enrolled(String sequenceId, String subscriberId) {
        return engine.enrollmentStore.find(new EnrollmentKey(ACCOUNT, sequenceId, subscriberId)).isPresent();
    }

    @Test
    void a_file_in_two_parts_stores_profiles_enrolls_and_reports_bad_rows_by_line() {
        ImportJob started = imports.start(ACCOUNT, "csv", false, false,
                csv("subscriberId,attributes.plan,sequences\n" + rows(0, 150, "nurture") + "bad id,gold,\n"));
        assertThat(started.status()).isEqualTo(ImportStatus.RECEIVING);
        assertThat(started.rowsReceived()).isEqualTo(151);
        assertThat(started.rowsFailed()).as("refused as it was read").isEqualTo(1);
        drain();
        ImportJob between = imports.get(ACCOUNT, started.id());
        assertThat(between.rowsImported()).as("the first part is applied while the second is awaited").isEqualTo(150);
        assertThat(between.status()).isEqualTo(ImportStatus.RECEIVING);

        ImportJob received = imports.receive(ACCOUNT, started.id(), 2, true,
                csv(rows(150, 210, "") + "s0999,gold,nope\n"));
        assertThat(received.linesRead()).isEqualTo(1 + 151 + 61);
        drain();

        ImportJob done = imports.get(ACCOUNT, started.id());
        assertThat(done.status()).isEqualTo(ImportStatus.COMPLETED);
        assertThat(done.rowsReceived()).isEqualTo(212);
        assertThat(done.rowsImported()).isEqualTo(210);
        assertThat(done.rowsFailed()).isEqualTo(2);
        assertThat(done.rowsPending()).isZero();
        assertThat(imports.errors(ACCOUNT, started.id(), 0, 10)).extracting(RowError::line, RowError::field)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(152L, "subscriberId"),
                        org.assertj.core.groups.Tuple.tuple(213L, "sequences[0]"));
        assertThat(engine.subscribers.get(ACCOUNT, "s0209").attributes().values())
                .containsEntry("plan", new AttributeValue.Text("gold"));
        assertThat(enrolled("nurture", "s0000")).isTrue();
        assertThat(enrolled("nurture", "s0149")).isTrue();
        assertThat(enrolled("nurture", "s0150")).isFalse();
        assertThat(enrolled("welcome", "s0000")).as("welcome sequences start only when asked").isFalse();
        assertThat(store.delegate.pagesKept()).as("applied pages are dropped").isZero();
    }

    @Test
    void welcome_sequences_start_when_asked_for_new_and_existing_subscribers_alike() {
        engine.subscribers.absorb(ACCOUNT, "s0001", Map.of(), Optional.empty());
        ImportJob job = imports.start(ACCOUNT, "csv", true, true,
                csv("subscriberId,attributes.plan,sequences\n" + rows(0, 5, "")));
        drain();
        assertThat(imports.get(ACCOUNT, job.id()).rowsImported()).isEqualTo(5);
        IntStream.range(0, 5).forEach(i -> assertThat(enrolled("welcome", String.format("s%04d", i))).isTrue());
        assertThat(engine.subscribers.get(ACCOUNT, "s0001").attributes().values())
                .containsEntry("plan", new AttributeValue.Text("gold"));
    }

    @Test
    void a_page_whose_count_fails_is_applied_again_and_counted_once() {
        ImportJob job = imports.start(ACCOUNT, "csv", true, true,
                csv("subscriberId,attributes.plan,sequences\n" + rows(0, 250, "nurture")));
        store.failReplaces = 1;
        Optional<InMemoryImportQueue.Wake> wake = queue.take();
        assertThatThrownBy(() -> pages.run(ACCOUNT, job.id())).isInstanceOf(IllegalStateException.class);
        // The host shows the message again: the same run from the top.
        assertThat(pages.run(wake.orElseThrow().account(), job.id())).isEqualTo(ImportPages.Outcome.CAUGHT_UP);

        ImportJob done = imports.get(ACCOUNT, job.id());
        assertThat(done.status()).isEqualTo(ImportStatus.COMPLETED);
        assertThat(done.rowsImported()).isEqualTo(250);
        assertThat(done.rowsFailed()).isZero();
        for (String sequenceId : List.of("nurture", "welcome")) {
            assertThat(engine.enrollmentStore.find(new EnrollmentKey(ACCOUNT, sequenceId, "s0000")).orElseThrow()
                    .value().epoch()).as("enrolled once in " + sequenceId).isEqualTo(1);
        }
        assertThat(engine.queue.pending().size()).as("one first-step timer per enrollment, none twice").isEqualTo(500);
    }

    @Test
    void two_runs_at_once_count_each_page_once() {
        ImportJob job = imports.start(ACCOUNT, "csv", false, true,
                csv("subscriberId,attributes.plan,sequences\n" + rows(0, 300, "")));
        // A duplicate message: another run counts the first page while this one is about to.
        store.beforeReplace = () -> assertThat(pages.run(ACCOUNT, job.id())).isEqualTo(ImportPages.Outcome.CAUGHT_UP);
        assertThat(pages.run(ACCOUNT, job.id())).isEqualTo(ImportPages.Outcome.OVERTAKEN);

        ImportJob done = imports.get(ACCOUNT, job.id());
        assertThat(done.rowsImported()).isEqualTo(300);
        assertThat(done.status()).isEqualTo(ImportStatus.COMPLETED);
    }

    @Test
    void a_part_received_again_changes_nothing_and_parts_come_in_order() {
        ImportJob job = imports.start(ACCOUNT, "csv", false, false, csv("subscriberId,attributes.plan,sequences\n"
                + rows(0, 10, "")));
        ImportJob second = imports.receive(ACCOUNT, job.id(), 2, false, csv(rows(10, 20, "")));
        assertThat(imports.receive(ACCOUNT, job.id(), 2, false, csv(rows(10, 30, "")))).isEqualTo(second);
        assertThatThrownBy(() -> imports.receive(ACCOUNT, job.id(), 4, false, csv(rows(30, 40, ""))))
                .isInstanceOf(Conflict.class).hasMessageContaining("expects part 3");
        imports.receive(ACCOUNT, job.id(), 3, true, csv(rows(20, 30, "")));
        assertThatThrownBy(() -> imports.receive(ACCOUNT, job.id(), 4, true, csv(rows(30, 40, ""))))
                .isInstanceOf(Conflict.class).hasMessageContaining("last part");
        drain();
        ImportJob done = imports.get(ACCOUNT, job.id());
        assertThat(done.rowsImported()).isEqualTo(30);
        assertThat(done.linesRead()).isEqualTo(31);
    }

    @Test
    void an_opted_out_subscriber_keeps_the_opt_out_and_is_not_enrolled() {
        engine.subscribers.optOut(ACCOUNT, "s0003");
        ImportJob job = imports.start(ACCOUNT, "csv", true, true,
                csv("subscriberId,attributes.plan,sequences\n" + rows(0, 5, "nurture")));
        drain();
        ImportJob done = imports.get(ACCOUNT, job.id());
        assertThat(done.rowsImported()).isEqualTo(4);
        assertThat(imports.errors(ACCOUNT, job.id(), 0, 10)).singleElement()
                .satisfies(error -> assertThat(error.line()).isEqualTo(5));
        assertThat(engine.subscribers.get(ACCOUNT, "s0003").optedOut()).isTrue();
        assertThat(enrolled("nurture", "s0003")).isFalse();
        assertThat(enrolled("welcome", "s0003")).isFalse();
    }

    /** The in-memory store, failing or interleaving the job's conditional writes when a test asks. */
    private static final class FlakyImportStore implements ImportStore {
        final InMemoryImportStore delegate;
        int failReplaces;
        Runnable beforeReplace;

        FlakyImportStore(InMemoryImportStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public Optional<Stored<ImportJob>> find(String account, String importId) {
            return delegate.find(account, importId);
        }

        @Override
        public void create(ImportJob job) {
            delegate.create(job);
        }

        @Override
        public void replace(ImportJob job, String etag) {
            if (failReplaces > 0) {
                failReplaces--;
                throw new IllegalStateException("storage unavailable");
            }
            Runnable before = beforeReplace;
            beforeReplace = null;
            if (before != null) {
                before.run();
            }
            delegate.replace(job, etag);
        }

        @Override
        public List<String> list(String account) {
            return delegate.list(account);
        }

        @Override
        public List<ImportPage> staged(String account, String importId) {
            return delegate.staged(account, importId);
        }

        @Override
        public void stage(String account, String importId, List<ImportPage> staged) {
            delegate.stage(account, importId, staged);
        }

        @Override
        public Optional<ImportPage> page(String account, String importId, int number) {
            return delegate.page(account, importId, number);
        }

        @Override
        public void dropPage(String account, String importId, int number) {
            delegate.dropPage(account, importId, number);
        }

        @Override
        public void recordErrors(String account, String importId, List<RowError> errors) {
            delegate.recordErrors(account, importId, errors);
        }

        @Override
        public List<RowError> errors(String account, String importId, long afterLine, int max) {
            return delegate.errors(account, importId, afterLine, max);
        }
    }
}
