package io.sequencer.adapters.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.enrollment.Origin;
import io.sequencer.domain.enrollment.StepOutcome;
import io.sequencer.domain.enrollment.StepRecord;
import io.sequencer.domain.report.Tally;
import io.sequencer.domain.sequence.Delay;
import io.sequencer.domain.sequence.DelayUnit;
import io.sequencer.domain.sequence.Step;
import io.sequencer.testing.Azurite;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** How a sequence's tally rows behave on a real table: one row per writer, merged once a day is over. */
class TallyRowsTest {
    private static final StorageClients STORAGE = Azurite.shared().clients();
    private static final Instant LONG_AGO = Instant.parse("2026-03-01T10:00:00Z");
    private static final Step S1 = new Step("s1", Delay.of(0, DelayUnit.SECONDS), "{}");

    private final String tableName = AzureContractsTest.unique("tally");
    private final TableClient table;

    TallyRowsTest() {
        STORAGE.ensureExists(AzureContractsTest.unique("q-"), tableName);
        table = STORAGE.table(tableName);
    }

    @Test
    void each_process_writes_its_own_rows_and_a_day_that_is_over_is_merged_into_one() {
        TableEnrollmentStore first = new TableEnrollmentStore(table);
        TableEnrollmentStore second = new TableEnrollmentStore(table);
        for (int i = 0; i < 6; i++) {
            sendOnce(i % 2 == 0 ? first : second, "s" + i);
        }
        assertThat(tallyRows()).isEqualTo(2);

        assertThat(first.tally("acme", "welcome")).containsOnlyKeys(LocalDate.parse("2026-03-01"));
        assertThat(total(first)).isEqualTo(6);
        assertThat(tallyRows()).isEqualTo(1);
        assertThat(total(second)).isEqualTo(6);
    }

    @Test
    void a_writer_whose_row_was_merged_away_starts_a_new_one_and_loses_nothing() {
        TableEnrollmentStore first = new TableEnrollmentStore(table);
        TableEnrollmentStore second = new TableEnrollmentStore(table);
        sendOnce(first, "ann");
        sendOnce(second, "bob");
        assertThat(total(second)).isEqualTo(2); // merges both rows; the first store still believes in its own

        sendOnce(first, "cid");
        assertThat(total(second)).isEqualTo(3);
        assertThat(total(first)).isEqualTo(3);
    }

    private static void sendOnce(TableEnrollmentStore store, String subscriber) {
        EnrollmentKey key = new EnrollmentKey("acme", "welcome", subscriber);
        Enrollment started = Enrollment.start(key, 1, S1, LONG_AGO, LONG_AGO, "t", Optional.empty(), Origin.HOST);
        store.create(started);
        store.replace(store.find(key).orElseThrow(), started.complete(
                new StepRecord("s1", "d-" + subscriber, StepOutcome.SENT, LONG_AGO, 1, ""), LONG_AGO));
    }

    private static long total(TableEnrollmentStore store) {
        return store.tally("acme", "welcome").values().stream().reduce(Tally.EMPTY, Tally::plus).get("step|s1|sent");
    }

    private long tallyRows() {
        return table.listEntities(new ListEntitiesOptions().setFilter("RowKey ge '~tally|'"), null, null).stream().count();
    }

    @Test
    void writers_counting_today_at_once_lose_nothing_and_use_a_row_per_slot_at_most() throws Exception {
        TableEnrollmentStore first = new TableEnrollmentStore(table);
        TableEnrollmentStore second = new TableEnrollmentStore(table);
        Instant now = Instant.now();
        var pool = Executors.newFixedThreadPool(12);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                TableEnrollmentStore store = i % 2 == 0 ? first : second;
                String subscriber = "t" + i;
                done.add(pool.submit(() -> {
                    EnrollmentKey key = new EnrollmentKey("acme", "welcome", subscriber);
                    Enrollment started = Enrollment.start(key, 1, S1, now, now, "t", Optional.empty(), Origin.HOST);
                    store.create(started);
                    store.replace(store.find(key).orElseThrow(), started.complete(
                            new StepRecord("s1", "d-" + subscriber, StepOutcome.SENT, now, 1, ""), now));
                }));
            }
            for (var future : done) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(total(first)).isEqualTo(60);
        assertThat(tallyRows()).isBetween(2L, 2L * TallyRows.SLOTS);
    }
}
