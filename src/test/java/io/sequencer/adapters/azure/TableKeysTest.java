package io.sequencer.adapters.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.domain.Invalid;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class TableKeysTest {

    @Test
    void key_parts_are_joined_with_a_separator_no_id_contains() {
        assertThat(TableKeys.of("acme", "welcome")).isEqualTo("acme|welcome");
    }

    @Test
    void a_part_with_characters_tables_forbid_is_refused() {
        for (String bad : new String[] {"a/b", "a\\b", "a#b", "a?b", "a\tb", "a|b"}) {
            assertThatThrownBy(() -> TableKeys.of("acme", bad)).isInstanceOf(Invalid.class);
        }
    }

    @Test
    void newest_first_parts_put_later_instants_first_in_text_order_over_the_whole_range() {
        Instant t = Instant.parse("2026-03-01T09:00:00Z");
        List<String> parts = Stream.of(Instant.MAX, t.plusNanos(1), t, t.minusNanos(1), Instant.EPOCH,
                Instant.EPOCH.minusNanos(1), Instant.MIN).map(TableKeys::newestFirst).toList();
        assertThat(parts).isSorted().doesNotHaveDuplicates()
                .allSatisfy(p -> assertThat(p).hasSize(26).containsOnlyDigits());
    }

    @Test
    void filter_literals_double_quotes_so_a_value_cannot_end_the_literal() {
        assertThat(TableKeys.literal("x' or PartitionKey ne '")).isEqualTo("'x'' or PartitionKey ne '''");
    }
}
