package io.sequencer.testing;

import io.sequencer.engine.AlreadyExists;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import io.sequencer.engine.imports.ImportJob;
import io.sequencer.engine.imports.ImportPage;
import io.sequencer.engine.imports.ImportStore;
import io.sequencer.engine.imports.RowError;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/** In-memory {@link ImportStore} with ETags; held to the same contract as the table. */
public final class InMemoryImportStore implements ImportStore {
    private final Map<String, Stored<ImportJob>> jobs = new ConcurrentHashMap<>();
    private final Map<String, ImportPage> pages = new ConcurrentHashMap<>();
    private final Map<String, ConcurrentSkipListMap<Long, RowError>> errors = new ConcurrentHashMap<>();
    private final AtomicLong etags = new AtomicLong();

    @Override
    public Optional<Stored<ImportJob>> find(String account, String importId) {
        return Optional.ofNullable(jobs.get(key(account, importId)));
    }

    @Override
    public synchronized void create(ImportJob job) {
        if (jobs.putIfAbsent(key(job.account(), job.id()), stored(job)) != null) {
            throw new AlreadyExists("import " + job.id());
        }
    }

    @Override
    public synchronized void replace(ImportJob job, String etag) {
        Stored<ImportJob> current = jobs.get(key(job.account(), job.id()));
        if (current == null || !current.etag().equals(etag)) {
            throw new StaleWrite("import " + job.id());
        }
        jobs.put(key(job.account(), job.id()), stored(job));
    }

    @Override
    public List<String> list(String account) {
        return jobs.values().stream().map(Stored::value).filter(j -> j.account().equals(account)).map(ImportJob::id)
                .sorted().toList();
    }

    @Override
    public List<ImportPage> staged(String account, String importId) {
        String prefix = key(account, importId) + "\n";
        return pages.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).map(Map.Entry::getValue)
                .sorted(Comparator.comparingInt(ImportPage::number)).toList();
    }

    @Override
    public void stage(String account, String importId, List<ImportPage> staged) {
        staged.forEach(page -> pages.put(key(account, importId) + "\n" + page.number(), page));
    }

    @Override
    public Optional<ImportPage> page(String account, String importId, int number) {
        return Optional.ofNullable(pages.get(key(account, importId) + "\n" + number));
    }

    @Override
    public void dropPage(String account, String importId, int number) {
        pages.remove(key(account, importId) + "\n" + number);
    }

    /** Pages staged and not dropped, of every import. */
    public int pagesKept() {
        return pages.size();
    }

    @Override
    public void recordErrors(String account, String importId, List<RowError> recorded) {
        ConcurrentSkipListMap<Long, RowError> of = errors.computeIfAbsent(key(account, importId),
                k -> new ConcurrentSkipListMap<>());
        recorded.forEach(error -> of.put(error.line(), error));
    }

    @Override
    public List<RowError> errors(String account, String importId, long afterLine, int max) {
        ConcurrentSkipListMap<Long, RowError> of = errors.get(key(account, importId));
        return of == null ? List.of() : of.tailMap(afterLine, false).values().stream().limit(max).toList();
    }

    private static String key(String account, String importId) {
        return account + "\n" + importId;
    }

    private Stored<ImportJob> stored(ImportJob job) {
        return new Stored<>(job, "W/\"" + etags.incrementAndGet() + "\"");
    }
}
