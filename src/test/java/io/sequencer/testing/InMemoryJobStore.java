package io.sequencer.testing;

import io.sequencer.engine.AlreadyExists;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import io.sequencer.engine.job.Job;
import io.sequencer.engine.job.JobStore;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** In-memory {@link JobStore} with ETags. */
public final class InMemoryJobStore implements JobStore {
    private final Map<List<String>, Stored<Job>> rows = new ConcurrentHashMap<>();
    private final AtomicLong etags = new AtomicLong();

    @Override
    public Optional<Stored<Job>> find(String account, String jobId) {
        return Optional.ofNullable(rows.get(List.of(account, jobId)));
    }

    @Override
    public List<Stored<Job>> list(String account) {
        return rows.values().stream().filter(s -> s.value().account().equals(account))
                .sorted(Comparator.comparing(s -> s.value().id())).toList();
    }

    @Override
    public synchronized void create(Job job) {
        if (rows.putIfAbsent(List.of(job.account(), job.id()), stored(job)) != null) {
            throw new AlreadyExists("job " + job.id());
        }
    }

    @Override
    public synchronized void replace(Stored<Job> current, Job next) {
        List<String> key = List.of(next.account(), next.id());
        Stored<Job> stored = rows.get(key);
        if (stored == null || !stored.etag().equals(current.etag())) {
            throw new StaleWrite("job " + next.id());
        }
        rows.put(key, stored(next));
    }

    public int size() {
        return rows.size();
    }

    private Stored<Job> stored(Job job) {
        return new Stored<>(job, "W/\"" + etags.incrementAndGet() + "\"");
    }
}
