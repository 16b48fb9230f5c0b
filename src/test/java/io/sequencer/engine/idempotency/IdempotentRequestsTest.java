package io.sequencer.engine.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.engine.AlreadyExists;
import io.sequencer.engine.Conflict;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import io.sequencer.testing.InMemoryIdempotencyStore;
import io.sequencer.testing.SteppingClock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Idempotent requests when another attempt takes the key over in the middle of this one's answer. */
class IdempotentRequestsTest {
    private static final RecordedAnswer CREATED = new RecordedAnswer(201, "application/json", "{\"epoch\":1}");

    private final SteppingClock clock = SteppingClock.at("2026-03-01T09:00:00Z");
    private final InMemoryIdempotencyStore stored = new InMemoryIdempotencyStore();
    /** Runs just before each conditional write of the answer or the release: another attempt's move. */
    private Runnable beforeWrite = () -> { };
    private final IdempotencyStore racing = new IdempotencyStore() {
        public Optional<Stored<IdempotencyRecord>> find(String account, String key) {
            return stored.find(account, key);
        }

        public void create(IdempotencyRecord record) {
            stored.create(record);
        }

        public void replace(IdempotencyRecord record, String etag) {
            beforeWrite.run();
            stored.replace(record, etag);
        }

        public boolean delete(String account, String key, String etag) {
            beforeWrite.run();
            return stored.delete(account, key, etag);
        }

        public int removeFreedBefore(Instant instant, int max) {
            return stored.removeFreedBefore(instant, max);
        }

        public int removeAnswersContaining(String account, String text) {
            return stored.removeAnswersContaining(account, text);
        }
    };
    private final IdempotentRequests requests = new IdempotentRequests(racing, clock);
    /** The client's retry, on another instance, once the first attempt's lease has ended. */
    private final IdempotentRequests retry = new IdempotentRequests(stored, clock);

    private IdempotentRequests.Claim claim() {
        return ((IdempotentRequests.Start.Run) requests.start("acme", "enroll-1", "fp-a")).claim();
    }

    private void takenOverByARetry() {
        beforeWrite = () -> {
            beforeWrite = () -> { };
            clock.advance(IdempotentRequests.LEASE);
            assertThat(retry.start("acme", "enroll-1", "fp-a")).isInstanceOf(IdempotentRequests.Start.Run.class);
        };
    }

    @Test
    void an_answer_recorded_after_a_retry_took_the_key_over_is_not_kept_and_the_attempt_is_told() {
        IdempotentRequests.Claim claim = claim();
        takenOverByARetry();
        assertThat(requests.finish(claim, CREATED)).isFalse();
        assertThat(stored.find("acme", "enroll-1").orElseThrow().value().phase())
                .isInstanceOf(IdempotencyRecord.Phase.Running.class);
    }

    @Test
    void a_release_after_a_retry_took_the_key_over_leaves_the_retrys_claim_and_the_attempt_is_told() {
        IdempotentRequests.Claim claim = claim();
        takenOverByARetry();
        assertThat(requests.finish(claim, new RecordedAnswer(503, "application/problem+json", "{}"))).isFalse();
        assertThat(stored.find("acme", "enroll-1")).isPresent();
    }

    @Test
    void a_key_that_keeps_changing_hands_is_given_up_after_five_attempts_with_a_conflict() {
        AtomicInteger claims = new AtomicInteger();
        IdempotencyStore churning = new IdempotencyStore() {
            public Optional<Stored<IdempotencyRecord>> find(String account, String key) {
                return Optional.empty(); // released again each time we look
            }

            public void create(IdempotencyRecord record) {
                claims.incrementAndGet();
                throw new AlreadyExists("idempotency key");
            }

            public void replace(IdempotencyRecord record, String etag) {
                throw new StaleWrite("idempotency key");
            }

            public boolean delete(String account, String key, String etag) {
                return false;
            }

            public int removeFreedBefore(Instant instant, int max) {
                return 0;
            }

            public int removeAnswersContaining(String account, String text) {
                return 0;
            }
        };
        assertThatThrownBy(() -> new IdempotentRequests(churning, clock).start("acme", "enroll-1", "fp-a"))
                .isInstanceOf(Conflict.class);
        assertThat(claims).hasValue(5);
    }
}
