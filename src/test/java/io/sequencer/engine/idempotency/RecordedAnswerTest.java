package io.sequencer.engine.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A recorded HTTP answer: any real status, never a null part, and only answers the request settled are kept. */
class RecordedAnswerTest {
    @Test
    void every_http_status_from_100_to_599_is_an_answer_and_nothing_outside() {
        assertThat(new RecordedAnswer(100, "text/plain", "go on").status()).isEqualTo(100);
        assertThat(new RecordedAnswer(599, "text/plain", "timeout").status()).isEqualTo(599);
        assertThatThrownBy(() -> new RecordedAnswer(99, "text/plain", "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RecordedAnswer(600, "text/plain", "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void an_answer_without_content_type_or_body_is_kept_with_empty_ones() {
        RecordedAnswer noContent = new RecordedAnswer(204, null, null);
        assertThat(noContent.contentType()).isEmpty();
        assertThat(noContent.body()).isEmpty();
        RecordedAnswer created = new RecordedAnswer(201, "application/json", "{}");
        assertThat(created.contentType()).isEqualTo("application/json");
        assertThat(created.body()).isEqualTo("{}");
    }

    @Test
    void client_errors_are_kept_and_server_errors_and_429_are_not() {
        assertThat(new RecordedAnswer(499, "application/problem+json", "{}").keepable()).isTrue();
        assertThat(new RecordedAnswer(429, "application/problem+json", "{}").keepable()).as("not now: retry later")
                .isFalse();
        assertThat(new RecordedAnswer(500, "application/problem+json", "{}").keepable()).isFalse();
    }
}
