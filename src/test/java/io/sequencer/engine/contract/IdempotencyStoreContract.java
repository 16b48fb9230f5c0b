package io.sequencer.engine.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.engine.AlreadyExists;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import io.sequencer.engine.idempotency.IdempotencyKeyInUse;
import io.sequencer.engine.idempotency.IdempotencyKeyReused;
import io.sequencer.engine.idempotency.IdempotencyRecord;
import io.sequencer.engine.idempotency.IdempotencyStore;
import io.sequencer.engine.idempotency.IdempotentRequests;
import io.sequencer.engine.idempotency.RecordedAnswer;
import io.sequencer.testing.SteppingClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link IdempotencyStore} must do, and what {@link IdempotentRequests} makes of it; run against the
 * in-memory store and Azure Tables alike. The store keeps times as data, so a stepping clock drives both.
 */
public abstract class IdempotencyStoreContract {
    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00.123Z");
    private static final RecordedAnswer CREATED = new RecordedAnswer(201, "application/json", "{\"epoch\":1}");

    protected IdempotencyStore store;
    private SteppingClock clock;
    private IdempotentRequests requests;
    private ExecutorService threads;

    protected abstract IdempotencyStore newStore();

    @BeforeEach
    void createStore() {
        store = newStore();
        clock = new SteppingClock(T0);
        requests = new IdempotentRequests(store, clock);
        threads = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    protected static IdempotencyRecord running(String account, String key) {
        return IdempotencyRecord.running(account, key, "fp-1", "claim-1", T0, T0.plusSeconds(120));
    }

    private String etag(String account, String key) {
        return store.find(account, key).orElseThrow().etag();
    }

    private IdempotentRequests.Claim run(String account, String key, String fingerprint) {
        IdempotentRequests.Start start = requests.start(account, key, fingerprint);
        assertThat(start).isInstanceOf(IdempotentRequests.Start.Run.class);
        return ((IdempotentRequests.Start.Run) start).claim();
    }

    private RecordedAnswer replayed(String account, String key, String fingerprint) {
        IdempotentRequests.Start start = requests.start(account, key, fingerprint);
        assertThat(start).isInstanceOf(IdempotentRequests.Start.Replay.class);
        return ((IdempotentRequests.Start.Replay) start).answer();
    }

    @Test
    void a_claim_and_then_its_answer_survive_the_round_trip() {
        IdempotencyRecord claim = running("acme", "k-1");
        store.create(claim);
        assertThat(store.find("acme", "k-1")).map(Stored::value).contains(claim);

        IdempotencyRecord answered = claim.answered(CREATED, T0.plusSeconds(1));
        store.replace(answered, etag("acme", "k-1"));
        assertThat(store.find("acme", "k-1")).map(Stored::value).contains(answered);
    }

    @Test
    void a_key_is_claimed_once_and_a_write_from_a_stale_read_is_refused() {
        store.create(running("acme", "k-2"));
        String etag = etag("acme", "k-2");
        assertThatThrownBy(() -> store.create(running("acme", "k-2"))).isInstanceOf(AlreadyExists.class);
        store.replace(running("acme", "k-2").answered(CREATED, T0), etag);
        assertThatThrownBy(() -> store.replace(running("acme", "k-2"), etag)).isInstanceOf(StaleWrite.class);
        assertThat(store.delete("acme", "k-2", etag)).isFalse();
        assertThat(store.find("acme", "k-2")).isPresent();
    }

    @Test
    void a_release_deletes_only_the_version_that_was_claimed() {
        store.create(running("acme", "k-3"));
        String etag = etag("acme", "k-3");
        assertThat(store.delete("acme", "k-3", etag)).isTrue();
        assertThat(store.find("acme", "k-3")).isEmpty();
    }

    @Test
    void the_same_key_in_two_accounts_is_two_keys() {
        store.create(running("acme", "shared"));
        store.create(running("globex", "shared"));
        assertThat(store.find("globex", "shared")).map(s -> s.value().account()).contains("globex");
        assertThat(store.find("initech", "shared")).isEmpty();
    }

    @Test
    void a_key_with_characters_table_keys_forbid_is_kept_as_given() {
        String key = "a/b\\c#d?e 'quoted' \"x\" ~!@$%^&*()";
        store.create(running("acme", key));
        assertThat(store.find("acme", key)).map(s -> s.value().key()).contains(key);
        assertThat(store.find("acme", key + " ")).isEmpty();
    }

    @Test
    void an_answer_larger_than_one_table_entity_is_kept_whole() {
        // Random printable text hardly compresses: ~2.5 MB gzipped, beyond one 1 MiB entity.
        Random random = new Random(7);
        StringBuilder body = new StringBuilder();
        while (body.length() < 3_000_000) {
            body.append((char) (' ' + random.nextInt(95)));
        }
        body.append("é✓");
        RecordedAnswer big = new RecordedAnswer(200, "application/json", body.toString());
        store.create(running("acme", "big"));
        store.replace(running("acme", "big").answered(big, T0), etag("acme", "big"));
        assertThat(store.find("acme", "big").orElseThrow().value().phase())
                .isEqualTo(new IdempotencyRecord.Phase.Answered(big, T0));
    }

    @Test
    void a_retry_with_the_same_request_gets_the_first_answer_and_runs_nothing() {
        IdempotentRequests.Claim claim = run("acme", "enroll-1", "fp-a");
        assertThat(requests.finish(claim, CREATED)).isTrue();
        clock.advance(Duration.ofHours(23));
        assertThat(replayed("acme", "enroll-1", "fp-a")).isEqualTo(CREATED);
    }

    @Test
    void the_same_key_with_another_request_is_refused_while_the_first_is_running_or_answered() {
        IdempotentRequests.Claim claim = run("acme", "enroll-2", "fp-a");
        assertThatThrownBy(() -> requests.start("acme", "enroll-2", "fp-b")).isInstanceOf(IdempotencyKeyReused.class);
        requests.finish(claim, CREATED);
        assertThatThrownBy(() -> requests.start("acme", "enroll-2", "fp-b")).isInstanceOf(IdempotencyKeyReused.class);
        assertThat(run("globex", "enroll-2", "fp-b")).isNotNull();
    }

    @Test
    void a_retry_while_the_first_runs_is_told_to_wait_for_the_rest_of_the_lease() {
        run("acme", "enroll-3", "fp-a");
        clock.advance(Duration.ofSeconds(30));
        assertThatThrownBy(() -> requests.start("acme", "enroll-3", "fp-a"))
                .isInstanceOfSatisfying(IdempotencyKeyInUse.class,
                        e -> assertThat(e.retryAfter()).isEqualTo(IdempotentRequests.LEASE.minusSeconds(30)));
    }

    @Test
    void a_claim_left_by_a_crashed_attempt_is_taken_over_when_its_lease_ends_and_the_crashed_one_cannot_answer() {
        IdempotentRequests.Claim crashed = run("acme", "enroll-4", "fp-a");
        clock.advance(IdempotentRequests.LEASE);
        IdempotentRequests.Claim retry = run("acme", "enroll-4", "fp-a");
        assertThat(requests.finish(crashed, new RecordedAnswer(200, "application/json", "{\"late\":true}"))).isFalse();
        assertThat(requests.finish(retry, CREATED)).isTrue();
        assertThat(replayed("acme", "enroll-4", "fp-a")).isEqualTo(CREATED);
    }

    @Test
    void a_server_error_is_not_kept_so_a_retry_runs_again() {
        IdempotentRequests.Claim claim = run("acme", "enroll-5", "fp-a");
        assertThat(requests.finish(claim, new RecordedAnswer(503, "application/problem+json", "{}"))).isTrue();
        assertThat(store.find("acme", "enroll-5")).isEmpty();
        requests.finish(run("acme", "enroll-5", "fp-a"), CREATED);
        assertThat(replayed("acme", "enroll-5", "fp-a")).isEqualTo(CREATED);
    }

    @Test
    void a_client_error_is_kept_and_given_again() {
        RecordedAnswer notFound = new RecordedAnswer(404, "application/problem+json", "{\"status\":404}");
        requests.finish(run("acme", "enroll-6", "fp-a"), notFound);
        assertThat(replayed("acme", "enroll-6", "fp-a")).isEqualTo(notFound);
    }

    @Test
    void after_the_retention_the_key_is_free_for_any_request() {
        requests.finish(run("acme", "enroll-7", "fp-a"), CREATED);
        clock.advance(IdempotentRequests.RETENTION.minusSeconds(1));
        assertThat(replayed("acme", "enroll-7", "fp-a")).isEqualTo(CREATED);
        clock.advance(Duration.ofSeconds(1));
        IdempotentRequests.Claim again = run("acme", "enroll-7", "fp-b");
        requests.finish(again, new RecordedAnswer(200, "application/json", "{}"));
        assertThat(replayed("acme", "enroll-7", "fp-b").status()).isEqualTo(200);
    }

    @Test
    void records_that_no_longer_hold_their_key_are_swept_at_most_every_ten_minutes_and_the_others_kept() {
        requests.finish(run("acme", "old-answer", "fp-a"), CREATED);
        run("acme", "crashed", "fp-a");
        clock.advance(Duration.ofHours(12));
        requests.finish(run("globex", "recent-answer", "fp-a"), CREATED);
        IdempotentRequests.Claim running = run("globex", "running", "fp-a");
        clock.advance(Duration.ofHours(12).plusSeconds(1));
        run("initech", "just-claimed", "fp-a");

        assertThat(requests.sweep(100)).isEqualTo(3); // old-answer, crashed, and running (its lease ended)
        assertThat(store.find("acme", "old-answer")).isEmpty();
        assertThat(store.find("acme", "crashed")).isEmpty();
        assertThat(store.find("globex", "running")).isEmpty();
        assertThat(replayed("globex", "recent-answer", "fp-a")).isEqualTo(CREATED);
        assertThat(store.find("initech", "just-claimed")).isPresent();
        assertThat(requests.finish(running, CREATED)).isFalse();

        clock.advance(Duration.ofHours(13));
        run("initech", "another", "fp-a");
        assertThat(requests.sweep(100)).as("recent-answer and just-claimed").isEqualTo(2);
        clock.advance(IdempotentRequests.SWEEP_EVERY.minusSeconds(1));
        assertThat(requests.sweep(100)).as("within ten minutes of the last sweep").isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(requests.sweep(100)).as("another, its lease ended").isEqualTo(1);
    }

    @Test
    void of_two_attempts_with_the_same_key_at_the_same_moment_exactly_one_runs() throws Exception {
        for (int round = 0; round < 20; round++) {
            String key = "race-" + round;
            CyclicBarrier together = new CyclicBarrier(2);
            AtomicInteger runs = new AtomicInteger();
            AtomicInteger told = new AtomicInteger();
            Callable<Void> attempt = () -> {
                together.await(10, TimeUnit.SECONDS);
                try {
                    IdempotentRequests.Start start = requests.start("acme", key, "fp-a");
                    if (start instanceof IdempotentRequests.Start.Run run) {
                        runs.incrementAndGet();
                        requests.finish(run.claim(), CREATED);
                    } else {
                        told.incrementAndGet();
                    }
                } catch (IdempotencyKeyInUse inUse) {
                    told.incrementAndGet();
                }
                return null;
            };
            List<Future<Void>> both = new ArrayList<>(List.of(threads.submit(attempt), threads.submit(attempt)));
            for (Future<Void> done : both) {
                done.get(30, TimeUnit.SECONDS);
            }
            assertThat(runs.get()).as("round " + round).isEqualTo(1);
            assertThat(told.get()).as("round " + round).isEqualTo(1);
        }
    }

    @Test
    void answers_naming_a_text_are_removed_with_their_parts_and_no_others() {
        Random random = new Random(11);
        StringBuilder big = new StringBuilder("{\"subscriberId\":\"ann\",\"noise\":\"");
        while (big.length() < 3_000_000) {
            big.append((char) ('a' + random.nextInt(26)));
        }
        big.append("\"}");
        answer("acme", "small-ann", "{\"subscriberId\":\"ann\"}");
        answer("acme", "big-ann", big.toString());
        answer("acme", "bob", "{\"subscriberId\":\"bob\",\"note\":\"annabel\"}");
        answer("globex", "ann-elsewhere", "{\"subscriberId\":\"ann\"}");
        store.create(running("acme", "still-running"));

        assertThat(store.removeAnswersContaining("acme", "\"ann\"")).isEqualTo(2);
        assertThat(store.find("acme", "small-ann")).isEmpty();
        assertThat(store.find("acme", "big-ann")).isEmpty();
        assertThat(store.find("acme", "bob")).isPresent();
        assertThat(store.find("acme", "still-running")).isPresent();
        assertThat(store.find("globex", "ann-elsewhere")).isPresent();
        assertThat(store.removeAnswersContaining("acme", "\"ann\"")).isZero();
        // The big answer's parts went with it: nothing is left to sweep for it, however late the sweep.
        assertThat(store.removeFreedBefore(T0.plus(Duration.ofDays(400)), 1000)).isEqualTo(3);
    }

    private void answer(String account, String key, String body) {
        store.create(running(account, key));
        store.replace(running(account, key).answered(new RecordedAnswer(200, "application/json", body), T0),
                etag(account, key));
    }
}
