package io.sequencer.adapters.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.adapters.json.JobJson;
import io.sequencer.domain.enrollment.EnrollmentStatus;
import io.sequencer.engine.AlreadyExists;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import io.sequencer.engine.enrollment.EnrollmentFilter;
import io.sequencer.engine.job.BulkAction;
import io.sequencer.engine.job.Job;
import io.sequencer.engine.job.JobPage;
import io.sequencer.engine.job.JobRequest;
import io.sequencer.testing.Azurite;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Bulk jobs on a real table: every field read back as written, writes conditional, page messages readable. */
class TableJobStoreTest {
    private static final StorageClients STORAGE = Azurite.shared().clients();
    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");

    private final TableJobStore store;

    TableJobStoreTest() {
        String name = AzureContractsTest.unique("jobs");
        STORAGE.ensureExists(AzureContractsTest.unique("q-"), name);
        store = new TableJobStore(STORAGE.table(name));
    }

    @Test
    void a_listed_job_with_a_claimed_page_and_errors_reads_back_as_written_and_writes_are_conditional() {
        List<String> ids = IntStream.range(0, JobRequest.MAX_IDS).mapToObj(i -> "subscriber-" + "x".repeat(100) + i).toList();
        Job job = Job.start("acme", "job-1", new JobRequest("welcome", BulkAction.LEAVE, Optional.empty(),
                new JobRequest.Listed(ids)), T0);
        store.create(job);
        assertThatThrownBy(() -> store.create(job)).isInstanceOf(AlreadyExists.class);
        Stored<Job> read = store.find("acme", "job-1").orElseThrow();
        assertThat(read.value()).isEqualTo(job);

        Job claimed = job.claiming(new Job.Claim(ids.subList(0, 100), Optional.empty(), false), T0.plusSeconds(1));
        store.replace(read, claimed);
        assertThatThrownBy(() -> store.replace(read, claimed)).isInstanceOf(StaleWrite.class);
        Stored<Job> again = store.find("acme", "job-1").orElseThrow();
        assertThat(again.value()).isEqualTo(claimed);
        Job committed = claimed.committed(List.of(new Job.ItemError(ids.get(3), "not_found", "enrollment of x not found")),
                T0.plusSeconds(2)).failing("storage down", T0.plusSeconds(3));
        store.replace(again, committed);
        assertThat(store.find("acme", "job-1").orElseThrow().value()).isEqualTo(committed);
        assertThat(store.find("other", "job-1")).isEmpty();
    }

    @Test
    void a_filtered_move_reads_back_with_its_filter_cursor_and_target() {
        Job job = Job.start("acme", "job-2", new JobRequest("welcome", BulkAction.MOVE, Optional.of("last"),
                new JobRequest.Filtered(new EnrollmentFilter(Set.of(EnrollmentStatus.ACTIVE, EnrollmentStatus.LEFT),
                        Optional.of("tips")))), T0);
        Job claimed = job.claiming(new Job.Claim(List.of("a", "b"), Optional.of("1!28!bmV4dA--"), false), T0);
        store.create(job);
        store.replace(store.find("acme", "job-2").orElseThrow(), claimed.committed(List.of(), T0.plusSeconds(5)));
        Job read = store.find("acme", "job-2").orElseThrow().value();
        assertThat(read.cursor()).contains("1!28!bmV4dA--");
        assertThat(read.processed()).isEqualTo(2);
        assertThat(read.request()).isEqualTo(job.request());
        assertThat(read.status()).isEqualTo(Job.Status.RUNNING);
    }

    @Test
    void page_messages_round_trip_and_others_are_refused() {
        JobPage page = new JobPage("acme", "job-1", 7, 2);
        assertThat(JobJson.decodePage(JobJson.encodePage(page))).isEqualTo(page);
        for (String text : List.of("", "[]", "{\"v\":2,\"account\":\"a\",\"jobId\":\"j\",\"page\":0}",
                "{\"v\":1,\"account\":\"a\",\"jobId\":\"j\",\"page\":-1}", "{\"v\":1,\"jobId\":\"j\",\"page\":0}")) {
            assertThatThrownBy(() -> JobJson.decodePage(text)).as(text).isInstanceOf(JobJson.MalformedPage.class);
        }
    }
}
