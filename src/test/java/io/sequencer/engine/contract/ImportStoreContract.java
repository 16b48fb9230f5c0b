package io.sequencer.engine.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.engine.AlreadyExists;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import io.sequencer.engine.imports.ImportJob;
import io.sequencer.engine.imports.ImportPage;
import io.sequencer.engine.imports.ImportRow;
import io.sequencer.engine.imports.ImportStore;
import io.sequencer.engine.imports.RowError;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link ImportStore} must do, whatever it stores imports in. */
public abstract class ImportStoreContract {
    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00.123Z");
    private ImportStore store;

    protected abstract ImportStore newStore();

    @BeforeEach
    void createStore() {
        store = newStore();
    }

    private static ImportJob job(String id) {
        return new ImportJob("acme", id, "csv", true, List.of("subscriberId", "attributes.plan"), 2, true, 301, 300, 3,
                1, 100, 7, Optional.empty(), T0, T0.plusSeconds(1));
    }

    @Test
    void a_job_survives_the_round_trip_and_is_replaced_only_at_its_etag() {
        ImportJob job = job("imp-1");
        store.create(job);
        Stored<ImportJob> stored = store.find("acme", "imp-1").orElseThrow();
        assertThat(stored.value()).isEqualTo(job);
        assertThatThrownBy(() -> store.create(job)).isInstanceOf(AlreadyExists.class);
        assertThat(store.find("other", "imp-1")).as("another account's import of that id").isEmpty();

        ImportJob failed = new ImportJob("acme", "imp-1", "csv", true, job.columns(), 2, true, 301, 300, 3, 2, 190,
                10, Optional.of("page 2 failed"), T0, T0.plusSeconds(9));
        store.replace(failed, stored.etag());
        assertThat(store.find("acme", "imp-1").orElseThrow().value()).isEqualTo(failed);
        assertThatThrownBy(() -> store.replace(job, stored.etag())).isInstanceOf(StaleWrite.class);
    }

    @Test
    void pages_keep_their_rows_and_a_page_staged_again_replaces_itself() {
        Map<String, Optional<AttributeValue>> attributes = new LinkedHashMap<>();
        attributes.put("plan", Optional.of(new AttributeValue.Text("gold, \"best\" ✓")));
        attributes.put("age", Optional.of(new AttributeValue.Number(new BigDecimal("41.5"))));
        attributes.put("vip", Optional.of(new AttributeValue.Flag(true)));
        attributes.put("tags", Optional.of(new AttributeValue.TextList(List.of("a", "b"))));
        ImportRow full = new ImportRow(2, "ann", Optional.of(ZoneId.of("Asia/Tokyo")), attributes,
                List.of("welcome", "nurture"));
        ImportRow bare = new ImportRow(3, "bob", Optional.empty(), Map.of(), List.of());
        List<ImportPage> pages = new ArrayList<>();
        pages.add(new ImportPage(0, List.of(full, bare)));
        IntStream.range(1, 30).forEach(n -> pages.add(new ImportPage(n, IntStream.range(0, 100)
                .mapToObj(i -> new ImportRow(n * 100L + i, "s" + n + "-" + i, Optional.empty(), Map.of(),
                        List.of())).toList())));
        store.stage("acme", "imp-1", pages);

        assertThat(store.page("acme", "imp-1", 0)).contains(pages.get(0));
        assertThat(store.page("acme", "imp-1", 29)).contains(pages.get(29));
        assertThat(store.page("acme", "imp-1", 30)).isEmpty();
        assertThat(store.page("acme", "imp-2", 0)).isEmpty();

        ImportPage again = new ImportPage(0, List.of(bare));
        store.stage("acme", "imp-1", List.of(again));
        assertThat(store.page("acme", "imp-1", 0)).contains(again);
        store.dropPage("acme", "imp-1", 0);
        store.dropPage("acme", "imp-1", 0);
        assertThat(store.page("acme", "imp-1", 0)).isEmpty();
    }

    @Test
    void errors_list_in_line_order_after_a_line_and_a_line_recorded_again_replaces_itself() {
        List<RowError> errors = new ArrayList<>();
        for (long line = 250; line >= 2; line -= 2) {
            errors.add(new RowError(line, "subscriberId", "is bad at " + line));
        }
        store.recordErrors("acme", "imp-1", errors);
        store.recordErrors("acme", "imp-1", List.of(new RowError(4, "timezone", "is not a zone")));

        List<RowError> first = store.errors("acme", "imp-1", 0, 3);
        assertThat(first).containsExactly(new RowError(2, "subscriberId", "is bad at 2"),
                new RowError(4, "timezone", "is not a zone"), new RowError(6, "subscriberId", "is bad at 6"));
        assertThat(store.errors("acme", "imp-1", 6, 1000)).hasSize(122).first()
                .isEqualTo(new RowError(8, "subscriberId", "is bad at 8"));
        assertThat(store.errors("acme", "imp-1", 250, 10)).isEmpty();
        assertThat(store.errors("acme", "imp-2", 0, 10)).isEmpty();
    }

    @Test
    void an_accounts_imports_list_by_id_and_their_staged_pages_by_number_even_one_left_empty() {
        store.create(job("imp-b"));
        store.create(job("imp-a"));
        store.create(new ImportJob("acme-2", "imp-c", "csv", true, List.of(), 0, false, 0, 0, 0, 0, 0, 0,
                Optional.empty(), T0, T0));
        store.create(new ImportJob("acm", "imp-d", "csv", true, List.of(), 0, false, 0, 0, 0, 0, 0, 0,
                Optional.empty(), T0, T0));
        assertThat(store.list("acme")).containsExactly("imp-a", "imp-b");
        assertThat(store.list("nobody")).isEmpty();

        ImportRow ann = new ImportRow(2, "ann", Optional.empty(), Map.of(), List.of("welcome"));
        store.stage("acme", "imp-a", List.of(new ImportPage(1, List.of(ann)), new ImportPage(0, List.of(ann))));
        store.stage("acme", "imp-a", List.of(new ImportPage(1, List.of())));
        store.recordErrors("acme", "imp-a", List.of(new RowError(9, "line", "bad")));

        assertThat(store.staged("acme", "imp-a")).containsExactly(new ImportPage(0, List.of(ann)),
                new ImportPage(1, List.of()));
        assertThat(store.page("acme", "imp-a", 1)).contains(new ImportPage(1, List.of()));
        assertThat(store.staged("acme", "imp-b")).isEmpty();
        store.dropPage("acme", "imp-a", 0);
        assertThat(store.staged("acme", "imp-a")).extracting(ImportPage::number).containsExactly(1);
    }
}
