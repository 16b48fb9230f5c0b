package io.sequencer.engine.sequence;

import static io.sequencer.engine.EngineFixture.ACCOUNT;
import static io.sequencer.engine.EngineFixture.SEQUENCE;
import static io.sequencer.engine.EngineFixture.draft;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.domain.sequence.Sequence;
import io.sequencer.domain.sequence.SequenceStatus;
import io.sequencer.engine.EngineFixture;
import io.sequencer.engine.NotFound;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Sequence definitions: what define, pause, resume, get and list give back to the API. */
class SequenceCatalogTest {
    private final EngineFixture engine = new EngineFixture();

    @Test
    void defining_creates_version_one_then_a_change_makes_the_next_version_and_a_replay_changes_nothing() {
        DefinedSequence created = engine.catalog.define(ACCOUNT, SEQUENCE, draft(0, 60));
        assertThat(created.created()).isTrue();
        assertThat(created.sequence().version()).isEqualTo(1);

        engine.clock.advance(Duration.ofMinutes(1));
        DefinedSequence changed = engine.catalog.define(ACCOUNT, SEQUENCE, draft(0, 120));
        assertThat(changed.created()).isFalse();
        assertThat(changed.sequence().version()).isEqualTo(2);
        assertThat(changed.sequence().steps()).hasSize(2);

        DefinedSequence replayed = engine.catalog.define(ACCOUNT, SEQUENCE, draft(0, 120));
        assertThat(replayed.created()).isFalse();
        assertThat(replayed.sequence()).isEqualTo(changed.sequence());
        assertThat(engine.catalog.get(ACCOUNT, SEQUENCE).version()).isEqualTo(2);
    }

    @Test
    void pause_and_resume_answer_with_the_sequence_in_its_new_status() {
        engine.catalog.define(ACCOUNT, SEQUENCE, draft(0));
        Sequence paused = engine.catalog.pause(ACCOUNT, SEQUENCE);
        assertThat(paused.status()).isEqualTo(SequenceStatus.PAUSED);
        assertThat(engine.catalog.pause(ACCOUNT, SEQUENCE)).isEqualTo(paused);
        assertThat(engine.catalog.resume(ACCOUNT, SEQUENCE).status()).isEqualTo(SequenceStatus.ACTIVE);
        assertThat(engine.catalog.archive(ACCOUNT, SEQUENCE).status()).isEqualTo(SequenceStatus.ARCHIVED);
    }

    @Test
    void an_unknown_sequence_is_not_found_for_reading_or_changing_its_status() {
        assertThatThrownBy(() -> engine.catalog.get(ACCOUNT, "nope")).isInstanceOf(NotFound.class);
        assertThatThrownBy(() -> engine.catalog.pause(ACCOUNT, "nope")).isInstanceOf(NotFound.class);
    }

    @Test
    void the_list_holds_the_accounts_own_sequences_only() {
        engine.catalog.define(ACCOUNT, "one", draft(0));
        engine.catalog.define(ACCOUNT, "two", draft(0));
        engine.catalog.define("other", "three", draft(0));
        assertThat(engine.catalog.list(ACCOUNT)).extracting(Sequence::id).containsExactlyInAnyOrder("one", "two");
    }
}
