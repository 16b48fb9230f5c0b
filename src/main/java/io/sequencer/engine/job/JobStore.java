package io.sequencer.engine.job;

import io.sequencer.engine.Stored;
import java.util.List;
import java.util.Optional;

/** Port: bulk jobs by account and id, written conditionally. */
public interface JobStore {
    Optional<Stored<Job>> find(String account, String jobId);

    /** Every job of {@code account}, in id order. */
    List<Stored<Job>> list(String account);

    /** @throws io.sequencer.engine.AlreadyExists when the account has a job of that id */
    void create(Job job);

    /** @throws io.sequencer.engine.StaleWrite when the stored ETag is no longer {@code current}'s */
    void replace(Stored<Job> current, Job next);
}
