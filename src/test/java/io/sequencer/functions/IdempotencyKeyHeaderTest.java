package io.sequencer.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.domain.Invalid;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdempotencyKeyHeaderTest {

    @Test
    void a_structured_field_string_is_unquoted_and_a_bare_token_taken_as_it_is() {
        assertThat(IdempotencyKeyHeader.parse("\"8e03978e-40d5-43e8-bc93-6894a57f9324\""))
                .isEqualTo("8e03978e-40d5-43e8-bc93-6894a57f9324");
        assertThat(IdempotencyKeyHeader.parse(" \"a \\\"b\\\" \\\\c\" ")).isEqualTo("a \"b\" \\c");
        assertThat(IdempotencyKeyHeader.parse("order-17/retry#2?")).isEqualTo("order-17/retry#2?");
    }

    @Test
    void the_header_is_found_whatever_the_case_of_its_name_and_absent_means_no_key() {
        assertThat(IdempotencyKeyHeader.of(Map.of("idempotency-key", "k1"))).contains("k1");
        assertThat(IdempotencyKeyHeader.of(Map.of("IDEMPOTENCY-KEY", "k2"))).contains("k2");
        assertThat(IdempotencyKeyHeader.of(Map.of("content-type", "application/json"))).isEmpty();
        assertThat(IdempotencyKeyHeader.of(null)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "\"\"", "caf\u00e9", "tab\there", "line\nbreak", "\"unclosed", "\"a\"b",
            "\"bad \\n escape\"", "\"\u00e9\""})
    void a_key_that_is_empty_not_printable_ascii_or_badly_quoted_is_refused_naming_the_header(String raw) {
        assertThatThrownBy(() -> IdempotencyKeyHeader.parse(raw)).isInstanceOfSatisfying(Invalid.class,
                e -> assertThat(e.errors().get(0).field()).isEqualTo("Idempotency-Key"));
    }

    @Test
    void a_key_may_have_255_characters_and_no_more() {
        assertThat(IdempotencyKeyHeader.parse("k".repeat(255))).hasSize(255);
        assertThatThrownBy(() -> IdempotencyKeyHeader.parse("k".repeat(256))).isInstanceOf(Invalid.class);
        assertThatThrownBy(() -> IdempotencyKeyHeader.parse("\"" + "k".repeat(256) + "\"")).isInstanceOf(Invalid.class);
    }
}
