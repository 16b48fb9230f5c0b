package io.sequencer.engine.sequence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.channel.webhook.WebhookConfig;
import io.sequencer.domain.sequence.Delay;
import io.sequencer.domain.sequence.DelayUnit;
import io.sequencer.domain.sequence.Sequence;
import io.sequencer.domain.sequence.SequenceDraft;
import io.sequencer.domain.sequence.SequenceStatus;
import io.sequencer.domain.sequence.Step;
import io.sequencer.engine.AlreadyExists;
import io.sequencer.engine.Sequencer;
import io.sequencer.engine.Stored;
import io.sequencer.testing.InMemorySequenceStore;
import io.sequencer.testing.SteppingClock;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The sequence cache: repeated reads from memory for a second, its own writes seen at once. */
class SequenceCacheTest {
    private final SteppingClock clock = SteppingClock.at("2026-03-01T09:00:00Z");
    private final InMemorySequenceStore stored = new InMemorySequenceStore();
    private final AtomicInteger reads = new AtomicInteger();
    private final SequenceStore counting = new SequenceStore() {
        public Optional<Stored<Sequence>> find(String account, String sequenceId) {
            reads.incrementAndGet();
            return stored.find(account, sequenceId);
        }

        public void create(Sequence sequence) {
            stored.create(sequence);
        }

        public void replace(Sequence sequence, String etag) {
            stored.replace(sequence, etag);
        }

        public List<Sequence> list(String account) {
            return stored.list(account);
        }
    };
    private final SequenceCache cache = new SequenceCache(counting, Duration.ofSeconds(1), clock);
    private final SequenceCatalog catalog = Sequencer.builder().clock(clock).stores(cache, null, null).build().sequences();
    /** Another instance: writes straight to storage, past this process's cache. */
    private final SequenceCatalog elsewhere = Sequencer.builder().clock(clock).stores(stored, null, null).build().sequences();

    private static SequenceDraft draft(String text) {
        return new SequenceDraft("Welcome", List.of(new Step("one", Delay.of(0, DelayUnit.SECONDS), "{\"text\":\"" + text + "\"}")),
                new WebhookConfig(URI.create("https://host.example/hook"), Optional.empty()));
    }

    @Test
    void repeated_reads_within_the_time_to_live_cost_one_storage_read() {
        catalog.define("acme", "welcome", draft("a"));
        reads.set(0);
        for (int i = 0; i < 100; i++) {
            assertThat(cache.find("acme", "welcome")).isPresent();
        }
        assertThat(reads.get()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        cache.find("acme", "welcome");
        assertThat(reads.get()).isEqualTo(2);
    }

    @Test
    void this_process_sees_its_own_pause_and_edit_at_once() {
        catalog.define("acme", "welcome", draft("a"));
        cache.find("acme", "welcome");
        catalog.pause("acme", "welcome");
        assertThat(cache.find("acme", "welcome").orElseThrow().value().status())
                .isEqualTo(SequenceStatus.PAUSED);
        catalog.define("acme", "welcome", draft("b"));
        assertThat(cache.find("acme", "welcome").orElseThrow().value().steps().get(0).message()).contains("\"b\"");
    }

    @Test
    void another_instances_edit_is_seen_within_the_time_to_live_and_a_write_over_a_stale_copy_retries() {
        catalog.define("acme", "welcome", draft("a"));
        cache.find("acme", "welcome");
        elsewhere.define("acme", "welcome", draft("b"));
        assertThat(cache.find("acme", "welcome").orElseThrow().value().version()).isEqualTo(1);
        clock.advance(Duration.ofMillis(1000));
        assertThat(cache.find("acme", "welcome").orElseThrow().value().version()).isEqualTo(2);

        elsewhere.define("acme", "welcome", draft("c"));
        catalog.pause("acme", "welcome"); // read a stale copy, lost the race, dropped it, read again
        assertThat(stored.find("acme", "welcome").orElseThrow().value().version()).isEqualTo(3);
        assertThat(stored.find("acme", "welcome").orElseThrow().value().status())
                .isEqualTo(SequenceStatus.PAUSED);
    }

    @Test
    void a_missing_sequence_is_not_remembered() {
        assertThat(cache.find("acme", "later")).isEmpty();
        elsewhere.define("acme", "later", draft("a"));
        assertThat(cache.find("acme", "later")).isPresent();
        assertThatThrownBy(() -> cache.create(stored.find("acme", "later").orElseThrow().value()))
                .isInstanceOf(AlreadyExists.class);
    }

    @Test
    void two_sequences_read_within_the_time_to_live_are_each_their_own() {
        catalog.define("acme", "welcome", draft("a"));
        catalog.define("acme", "goodbye", draft("b"));
        assertThat(cache.find("acme", "welcome").orElseThrow().value().id()).isEqualTo("welcome");
        assertThat(cache.find("acme", "goodbye").orElseThrow().value().id()).isEqualTo("goodbye");
        assertThat(cache.list("acme")).extracting(Sequence::id).containsExactlyInAnyOrder("welcome", "goodbye");
    }
}
