package io.sequencer.adapters.azure;

import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import io.sequencer.adapters.json.stored.StoredJob;
import io.sequencer.engine.Stored;
import io.sequencer.engine.job.Job;
import io.sequencer.engine.job.JobStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Bulk jobs in Azure Table storage: partition = account, row = job id; one point read or conditional write each;
 * an account's jobs are its partition. */
public final class TableJobStore implements JobStore {
    private final EntityTable table;

    public TableJobStore(TableClient table) {
        this.table = new EntityTable(table);
    }

    @Override
    public Optional<Stored<Job>> find(String account, String jobId) {
        return table.find(TableKeys.of(account), TableKeys.of(jobId))
                .map(e -> new Stored<>(StoredJob.read(account, jobId, e.getProperties()), e.getETag()));
    }

    @Override
    public List<Stored<Job>> list(String account) {
        ListEntitiesOptions options = new ListEntitiesOptions()
                .setFilter("PartitionKey eq " + TableKeys.literal(TableKeys.of(account)));
        List<Stored<Job>> jobs = new ArrayList<>();
        for (TableEntity e : table.client().listEntities(options, null, Context.NONE)) {
            jobs.add(new Stored<>(StoredJob.read(account, e.getRowKey(), e.getProperties()), e.getETag()));
        }
        return jobs;
    }

    @Override
    public void create(Job job) {
        table.create("job " + job.id(), toEntity(job));
    }

    @Override
    public void replace(Stored<Job> current, Job next) {
        table.replace("job " + next.id(), toEntity(next), current.etag());
    }

    private static TableEntity toEntity(Job job) {
        TableEntity entity = new TableEntity(TableKeys.of(job.account()), TableKeys.of(job.id()));
        StoredJob.write(job).forEach(entity::addProperty);
        return entity;
    }
}
