package io.sequencer.adapters.azure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The client's continuation read for the row it resumes at, and written back naming another, in the same form. */
class TableContinuationTest {
    private static String b64(String key) {
        return Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void a_plain_base64_continuation_is_read_and_rewritten_in_its_form() {
        TableContinuation at = TableContinuation.parse(b64("acme|welcome") + ";" + b64("ann")).orElseThrow();

        assertThat(at.partitionKey()).isEqualTo("acme|welcome");
        assertThat(at.rowKey()).isEqualTo("ann");
        assertThat(at.at("acme|welcome", "bob")).isEqualTo(b64("acme|welcome") + ";" + b64("bob"));
    }

    @Test
    void a_length_prefixed_continuation_keeps_its_prefix() {
        String token = "1!" + b64("acme|welcome").length() + "!" + b64("acme|welcome") + ";1!" + b64("ann").length()
                + "!" + b64("ann");
        TableContinuation at = TableContinuation.parse(token).orElseThrow();

        assertThat(at.rowKey()).isEqualTo("ann");
        assertThat(at.at("acme|welcome", "ann")).isEqualTo(token);
        assertThat(TableContinuation.parse(at.at("acme|welcome", "~")).orElseThrow().rowKey()).isEqualTo("~");
    }

    @Test
    void a_token_in_another_form_is_not_read() {
        assertThat(TableContinuation.parse("no-separator")).isEmpty();
        assertThat(TableContinuation.parse("%%%;%%%")).isEmpty();
    }
}
