package io.sequencer.adapters.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.domain.Invalid;
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
    void filter_literals_double_quotes_so_a_value_cannot_end_the_literal() {
        assertThat(TableKeys.literal("x' or PartitionKey ne '")).isEqualTo("'x'' or PartitionKey ne '''");
    }
}
