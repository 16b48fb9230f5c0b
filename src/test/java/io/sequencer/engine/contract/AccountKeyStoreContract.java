package io.sequencer.engine.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.domain.account.AccountKey;
import io.sequencer.engine.AlreadyExists;
import io.sequencer.engine.account.AccountKeyStore;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link AccountKeyStore} must do; run against the in-memory store and Azure Tables alike. */
public abstract class AccountKeyStoreContract {
    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00.123Z");
    private static final AccountKey ACME = new AccountKey("0123456789ab", "acme", "a".repeat(64), T0);
    private static final AccountKey ACME_2 = new AccountKey("0123456789ac", "acme", "b".repeat(64), T0.plusSeconds(1));
    private static final AccountKey OTHER = new AccountKey("ffffffffffff", "acme-other", "c".repeat(64), T0);

    private AccountKeyStore store;

    protected abstract AccountKeyStore newStore();

    @BeforeEach
    void createStore() {
        store = newStore();
    }

    @Test
    void a_created_key_is_found_by_its_prefix_as_it_was_stored() {
        store.create(ACME);

        assertThat(store.find(ACME.prefix())).contains(ACME);
        assertThat(store.find("000000000000")).isEmpty();
    }

    @Test
    void a_prefix_is_taken_once_whatever_the_account() {
        store.create(ACME);

        assertThatThrownBy(() -> store.create(new AccountKey(ACME.prefix(), "acme-other", "d".repeat(64), T0)))
                .isInstanceOf(AlreadyExists.class);
        assertThat(store.find(ACME.prefix())).contains(ACME);
    }

    @Test
    void an_account_lists_only_its_own_keys() {
        store.create(ACME);
        store.create(ACME_2);
        store.create(OTHER);

        assertThat(store.list("acme")).containsExactlyInAnyOrder(ACME, ACME_2);
        assertThat(store.list("acme-other")).containsExactly(OTHER);
        assertThat(store.list("nobody")).isEmpty();
        assertThat(store.list("acme' or account ne '")).as("a filter cannot be escaped").isEmpty();
    }

    @Test
    void a_use_is_recorded_on_a_live_key_and_never_brings_a_revoked_one_back() {
        store.create(ACME);
        store.markUsed(ACME.prefix(), T0.plusSeconds(60));

        assertThat(store.find(ACME.prefix())).hasValueSatisfying(k -> {
            assertThat(k.lastUsedAt()).contains(T0.plusSeconds(60));
            assertThat(k.hash()).isEqualTo(ACME.hash());
            assertThat(k.account()).isEqualTo(ACME.account());
        });
        assertThat(store.delete("acme", ACME.prefix())).isTrue();
        store.markUsed(ACME.prefix(), T0.plusSeconds(120));
        assertThat(store.find(ACME.prefix())).isEmpty();
    }

    @Test
    void only_the_owning_account_deletes_a_key_and_a_deleted_key_is_gone() {
        store.create(ACME);
        store.create(OTHER);

        assertThat(store.delete("acme-other", ACME.prefix())).isFalse();
        assertThat(store.find(ACME.prefix())).contains(ACME);
        assertThat(store.delete("acme", ACME.prefix())).isTrue();
        assertThat(store.find(ACME.prefix())).isEmpty();
        assertThat(store.delete("acme", ACME.prefix())).as("twice").isFalse();
        assertThat(store.list("acme")).isEmpty();
        assertThat(store.find(OTHER.prefix())).contains(OTHER);
    }
}
