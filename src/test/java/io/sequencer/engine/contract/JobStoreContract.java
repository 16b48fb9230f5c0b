package io.sequencer.engine.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.engine.AlreadyExists;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import io.sequencer.engine.job.BulkAction;
import io.sequencer.engine.job.Job;
import io.sequencer.engine.job.JobRequest;
import io.sequencer.engine.job.JobStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link JobStore} must do, whatever it stores bulk jobs in. */
public abstract class JobStoreContract {
    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
    private JobStore store;

    protected abstract JobStore newStore();

    @BeforeEach
    void createStore() {
        store = newStore();
    }

    private static Job job(String account, String id, List<String> ids) {
        return Job.start(account, id, new JobRequest("welcome", BulkAction.LEAVE, Optional.empty(),
                new JobRequest.Listed(ids)), T0);
    }

    @Test
    void a_job_is_created_once_and_replaced_only_at_its_etag() {
        Job job = job("acme", "job-1", List.of("ann"));
        store.create(job);
        assertThatThrownBy(() -> store.create(job)).isInstanceOf(AlreadyExists.class);
        Stored<Job> read = store.find("acme", "job-1").orElseThrow();
        assertThat(read.value()).isEqualTo(job);
        Job claimed = job.claiming(new Job.Claim(List.of("ann"), Optional.empty(), true), T0.plusSeconds(1));
        store.replace(read, claimed);
        assertThatThrownBy(() -> store.replace(read, claimed)).isInstanceOf(StaleWrite.class);
        assertThat(store.find("acme", "job-1").orElseThrow().value()).isEqualTo(claimed);
        assertThat(store.find("other", "job-1")).isEmpty();
    }

    @Test
    void an_accounts_jobs_list_in_id_order_with_etags_to_replace_them_at() {
        store.create(job("acme", "job-b", List.of("bob")));
        store.create(job("acme", "job-a", List.of("ann")));
        store.create(job("acme-2", "job-c", List.of("cat")));
        store.create(job("acm", "job-d", List.of("dan")));

        List<Stored<Job>> listed = store.list("acme");

        assertThat(listed).extracting(s -> s.value().id()).containsExactly("job-a", "job-b");
        Stored<Job> first = listed.get(0);
        Job erased = first.value().erasing("ann", T0.plusSeconds(1));
        store.replace(first, erased);
        assertThat(store.find("acme", "job-a").orElseThrow().value()).isEqualTo(erased);
        assertThat(((JobRequest.Listed) erased.request().selection()).subscriberIds())
                .as("the erased marker reads back").containsExactly(JobRequest.ERASED);
        assertThat(store.list("nobody")).isEmpty();
    }
}
