package io.sequencer.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.report.PoisonSummary;
import io.sequencer.domain.timer.PoisonedTick;
import io.sequencer.domain.timer.Tick;
import io.sequencer.engine.Stored;
import io.sequencer.engine.poison.PoisonedTicks;
import io.sequencer.testing.InMemoryPoisonedTicks;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class LastAttemptTest {
    private static final Instant AT = Instant.parse("2026-03-01T09:00:00Z");
    private static final Tick TICK = new Tick(new EnrollmentKey("acme", "welcome", "ann"), 1, 0, "step-1", AT,
            "token-1", 1, 0, 0);
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final Logger log = Logger.getAnonymousLogger();

    LastAttemptTest() {
        log.setUseParentHandlers(false);
        log.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        });
    }

    @Test
    void the_attempt_the_host_poisons_after_is_the_last_and_host_json_sets_it_to_five() {
        assertThat(StorageNames.MAX_DEQUEUE_COUNT).isEqualTo(5);
        assertThat(LastAttempt.isLast(4)).isFalse();
        assertThat(LastAttempt.isLast(5)).isTrue();
        assertThat(LastAttempt.isLast(6)).isTrue(); // a message the host failed to move in time comes back once more
    }

    @Test
    void the_tick_is_recorded_with_its_exceptions_summary_on_one_line() {
        InMemoryPoisonedTicks poisoned = new InMemoryPoisonedTicks();
        LastAttempt.record(poisoned, TICK, new IllegalArgumentException("No enum constant\nEnrollmentStatus.BOGUS"), AT, log);
        assertThat(poisoned.summary("acme", "welcome")).isEqualTo(new PoisonSummary(1,
                Optional.of("IllegalArgumentException: No enum constant EnrollmentStatus.BOGUS"), Optional.of(AT)));
        assertThat(logged).isEmpty();
    }

    @Test
    void a_credential_in_the_exceptions_message_is_not_recorded() {
        InMemoryPoisonedTicks poisoned = new InMemoryPoisonedTicks();
        LastAttempt.record(poisoned, TICK, new IllegalStateException(
                "cannot reach DefaultEndpointsProtocol=https;AccountName=x;AccountKey=c2VjcmV0a2V5PT0=;EndpointSuffix=y"), AT, log);
        String error = poisoned.summary("acme", "welcome").lastError().orElseThrow();
        assertThat(error).doesNotContain("c2VjcmV0a2V5PT0=").contains("AccountKey=[redacted]");
    }

    @Test
    void a_failure_to_record_is_logged_and_never_thrown_so_the_original_error_reaches_the_host() {
        PoisonedTicks unavailable = new PoisonedTicks() {
            @Override
            public PoisonSummary summary(String account, String sequenceId) {
                throw new IllegalStateException("storage down");
            }

            @Override
            public void record(Tick tick, String error, Instant at) {
                throw new IllegalStateException("storage down");
            }

            @Override
            public void recordIfAbsent(Tick tick, String reason, Instant at) {
                throw new IllegalStateException("storage down");
            }

            @Override
            public Page list(String account, String sequenceId, Optional<String> after, int max) {
                throw new IllegalStateException("storage down");
            }

            @Override
            public void remove(Stored<PoisonedTick> entry) {
                throw new IllegalStateException("storage down");
            }
        };
        assertThatCode(() -> LastAttempt.record(unavailable, TICK, new IllegalStateException("the original"), AT, log))
                .doesNotThrowAnyException();
        assertThat(logged).singleElement().asString().contains("account=acme", "sequence=welcome", "subscriber=ann",
                "IllegalStateException: storage down");
    }
}
