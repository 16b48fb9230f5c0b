package io.sequencer.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.domain.account.AccountKey;
import org.junit.jupiter.api.Test;

class SafeTextTest {

    @Test
    void an_exception_is_its_class_and_message_on_one_short_line() {
        assertThat(SafeText.summaryOf(new IllegalStateException("line one\r\nline two"), 200))
                .isEqualTo("IllegalStateException: line one  line two");
        assertThat(SafeText.summaryOf(new NullPointerException(), 200)).isEqualTo("NullPointerException");
        assertThat(SafeText.summaryOf(new RuntimeException("x".repeat(500)), 200)).hasSize(200);
    }

    @Test
    void credentials_in_an_exceptions_message_are_blanked_before_it_is_cut() {
        String text = "AccountKey=abc123==;SharedAccessSignature=sv=2020&sig=c2lnbmF0dXJl&se=1 "
                + "Authorization: Bearer eyJhbGciOi.payload.sig https://app/api/x?code=functionkey123";
        String line = SafeText.summaryOf(new IllegalStateException(text), 200);
        assertThat(line).doesNotContain("abc123", "c2lnbmF0dXJl", "eyJhbGciOi", "functionkey123")
                .contains("AccountKey=[redacted]", "Bearer [redacted]", "code=[redacted]");
        String cut = SafeText.summaryOf(new IllegalStateException("y".repeat(160) + " AccountKey=abcdefghijklmnopqrstuvwxyz"), 200);
        assertThat(cut).doesNotContain("abcdefghij");
    }

    @Test
    void known_secrets_are_blanked_wherever_they_are() {
        assertThat(SafeText.oneLine("token s3cr3t and s3cr3t", 200, "s3cr3t")).isEqualTo("token [redacted] and [redacted]");
    }

    @Test
    void a_cut_never_goes_through_a_known_secret() {
        assertThat(SafeText.oneLine("token s3cr3t tail", 9, "s3cr3t")).isEqualTo("token [redacted]");
        assertThat(SafeText.oneLine("s3cr3t tail", 3, "s3cr3t")).as("a secret at the very start").isEqualTo("[redacted]");
    }

    @Test
    void a_secret_that_begins_at_the_cut_is_left_out_whole() {
        assertThat(SafeText.oneLine("abcd s3cr3t", 5, "s3cr3t")).isEqualTo("abcd");
        assertThat(SafeText.oneLine("abc s3cr3t tail", 10, "s3cr3t")).as("ending at the cut").isEqualTo("abc [redacted]");
    }

    @Test
    void empty_and_missing_secrets_blank_nothing() {
        assertThat(SafeText.oneLine("plain text", 5, null, "")).isEqualTo("plain");
        assertThat(SafeText.oneLine("plain text", 0, "plain")).isEmpty();
    }

    @Test
    void two_known_secrets_that_overlap_are_blanked_whole() {
        // Replaced one after the other, "de s3" would break up "s3cr3t" and leave "cr3t" showing.
        assertThat(SafeText.redact("code s3cr3t end", "de s3", "s3cr3t")).isEqualTo("co[redacted] end");
        assertThat(SafeText.redact("code s3cr3t end", "s3cr3t", "de s3")).isEqualTo("co[redacted] end");
        assertThat(SafeText.redact("aaa", "aa")).as("overlapping occurrences of one secret").isEqualTo("[redacted]");
    }
}
