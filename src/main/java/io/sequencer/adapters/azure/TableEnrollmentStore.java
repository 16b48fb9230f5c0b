package io.sequencer.adapters.azure;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import io.sequencer.adapters.json.EnrollmentJson;
import io.sequencer.adapters.json.Json;
import io.sequencer.adapters.json.NoticeJson;
import io.sequencer.domain.Engagement;
import io.sequencer.domain.Enrollment;
import io.sequencer.domain.EnrollmentKey;
import io.sequencer.domain.EnrollmentStatus;
import io.sequencer.domain.LeaveReason;
import io.sequencer.domain.Origin;
import io.sequencer.domain.Outbox;
import io.sequencer.engine.EnrollmentStore;
import io.sequencer.engine.Stored;
import io.sequencer.domain.Tally;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.SortedMap;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Enrollments in Azure Table storage: partition = account|sequence, row = subscriber. One point read and
 * one conditional write per step, whatever the population; a write that changes the sequence's counts is one
 * batch with the writer's tally row in the same partition ({@link TallyRows}), so it is still one request.
 */
public final class TableEnrollmentStore implements EnrollmentStore {
    private final EntityTable table;
    private final TallyRows tallies;

    public TableEnrollmentStore(TableClient table) {
        this(table, Clock.systemUTC());
    }

    public TableEnrollmentStore(TableClient table, Clock clock) {
        this.table = new EntityTable(table);
        this.tallies = new TallyRows(table, clock);
    }

    @Override
    public Optional<Stored<Enrollment>> find(EnrollmentKey key) {
        return table.find(partition(key), TableKeys.of(key.subscriberId()))
                .map(e -> new Stored<>(fromEntity(key, e), e.getETag()));
    }

    @Override
    public void create(Enrollment enrollment) {
        write(Optional.empty(), enrollment);
    }

    @Override
    public void replace(Stored<Enrollment> current, Enrollment next) {
        write(Optional.of(current), next);
    }

    @Override
    public SortedMap<LocalDate, Tally> tally(String account, String sequenceId) {
        return tallies.read(TableKeys.of(account, sequenceId));
    }

    private void write(Optional<Stored<Enrollment>> current, Enrollment next) {
        String what = "enrollment " + next.key();
        Tally change = Tally.between(current.map(Stored::value), next);
        if (!change.isEmpty()) {
            tallies.write(what, toEntity(next), current.map(Stored::etag).orElse(null), Tally.dayOf(next), change);
        } else if (current.isEmpty()) {
            table.create(what, toEntity(next));
        } else {
            table.replace(what, toEntity(next), current.get().etag());
        }
    }

    private static String partition(EnrollmentKey key) {
        return TableKeys.of(key.account(), key.sequenceId());
    }

    private static TableEntity toEntity(Enrollment e) {
        TableEntity entity = new TableEntity(partition(e.key()), TableKeys.of(e.key().subscriberId()))
                .addProperty("status", e.status().wireName())
                .addProperty("epoch", e.epoch())
                .addProperty("cursor", e.cursor())
                .addProperty("enrolledAt", e.enrolledAt().toString())
                .addProperty("updatedAt", e.updatedAt().toString());
        if (e.nextStepId() != null) {
            entity.addProperty("nextStepId", e.nextStepId())
                    .addProperty("nextDueAt", e.nextDueAt().toString())
                    .addProperty("timerToken", e.timerToken());
        }
        e.timezone().ifPresent(z -> entity.addProperty("timezone", z.getId()));
        e.leaveReason().ifPresent(r -> entity.addProperty("leaveReason", r.wireName()));
        e.origin().cause().ifPresent(c -> entity.addProperty("cause", c));
        if (!e.pendingEngagement().isEmpty()) {
            entity.addProperty("pendingEngagement", e.pendingEngagement().stream().map(Engagement::wireName)
                    .collect(Collectors.joining(",")));
        }
        if (e.outbox().lastSequence() > 0) {
            entity.addProperty("outboxSequence", e.outbox().lastSequence());
            ChunkedText.put(entity, "outbox", NoticeJson.writeStoredList(e.outbox().pending()));
        }
        if (e.origin().depth() > 0) {
            entity.addProperty("chainDepth", e.origin().depth());
        }
        ChunkedText.put(entity, "history", Json.write(EnrollmentJson.writeHistory(e.history())));
        return entity;
    }

    private static Enrollment fromEntity(EnrollmentKey key, TableEntity e) {
        String nextDueAt = (String) e.getProperty("nextDueAt");
        return new Enrollment(key,
                EnrollmentStatus.fromWireName((String) e.getProperty("status")),
                ((Number) e.getProperty("epoch")).longValue(),
                ((Number) e.getProperty("cursor")).intValue(),
                (String) e.getProperty("nextStepId"),
                nextDueAt == null ? null : Instant.parse(nextDueAt),
                (String) e.getProperty("timerToken"),
                Optional.ofNullable((String) e.getProperty("timezone")).map(ZoneId::of),
                new Origin(Optional.ofNullable((String) e.getProperty("cause")),
                        Optional.ofNullable((Number) e.getProperty("chainDepth")).map(Number::intValue).orElse(0)),
                Optional.ofNullable((String) e.getProperty("leaveReason")).map(LeaveReason::fromWireName),
                Instant.parse((String) e.getProperty("enrolledAt")),
                Instant.parse((String) e.getProperty("updatedAt")),
                EnrollmentJson.readStoredHistory(ChunkedText.get(e, "history")),
                Optional.ofNullable((String) e.getProperty("pendingEngagement")).stream()
                        .flatMap(text -> Arrays.stream(text.split(","))).map(Engagement::fromWireName)
                        .collect(Collectors.toSet()),
                e.getProperty("outboxSequence") == null ? Outbox.EMPTY
                        : new Outbox(((Number) e.getProperty("outboxSequence")).longValue(),
                                NoticeJson.readStoredList(ChunkedText.get(e, "outbox"))));
    }
}
