package io.sequencer.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.azure.functions.HttpStatus;
import io.sequencer.domain.Invalid;
import io.sequencer.engine.idempotency.IdempotencyKeyInUse;
import io.sequencer.engine.idempotency.IdempotencyKeyReused;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The problems an Idempotency-Key can cause, as the one error mapping gives them. */
class IdempotencyProblemsTest {

    @Test
    void a_key_reused_for_another_request_is_a_409_naming_the_header() {
        HttpApi.Problem problem = HttpApi.problemOf(new IdempotencyKeyReused()).orElseThrow();
        assertThat(problem.status()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(problem.body().path("type").asText()).isEqualTo(HttpApi.KEY_REUSED_PROBLEM);
        assertThat(problem.body().path("field").asText()).isEqualTo("Idempotency-Key");
        assertThat(problem.headers()).isEmpty();
    }

    @Test
    void a_key_in_use_is_a_409_that_says_when_to_retry() {
        HttpApi.Problem problem = HttpApi.problemOf(new IdempotencyKeyInUse(Duration.ofSeconds(42))).orElseThrow();
        assertThat(problem.status()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(problem.body().path("type").asText()).isEqualTo(HttpApi.KEY_IN_USE_PROBLEM);
        assertThat(problem.body().path("field").asText()).isEqualTo("Idempotency-Key");
        assertThat(problem.headers()).containsEntry("Retry-After", "42");
    }

    @Test
    void a_bad_key_is_a_400_naming_the_header() {
        HttpApi.Problem problem = HttpApi.problemOf(new Invalid("Idempotency-Key", "must not be empty")).orElseThrow();
        assertThat(problem.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(problem.body().path("field").asText()).isEqualTo("Idempotency-Key");
    }
}
