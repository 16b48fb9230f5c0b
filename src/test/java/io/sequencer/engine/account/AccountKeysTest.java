package io.sequencer.engine.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.domain.Invalid;
import io.sequencer.domain.account.AccountApiKey;
import io.sequencer.domain.account.AccountKey;
import io.sequencer.engine.AlreadyExists;
import io.sequencer.engine.NotFound;
import io.sequencer.testing.InMemoryAccountKeyStore;
import io.sequencer.testing.PortInterceptor;
import io.sequencer.testing.SteppingClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AccountKeysTest {
    private final InMemoryAccountKeyStore store = new InMemoryAccountKeyStore();
    private final SteppingClock clock = new SteppingClock(Instant.parse("2026-03-01T09:00:00Z"));
    private final AccountKeys keys = new AccountKeys(store, new SecureRandom(), clock);

    @Test
    void an_issued_key_opens_its_account_and_only_its_hash_is_stored() {
        AccountKeys.Issued issued = keys.issue("acme");
        String text = issued.key().text();

        assertThat(text).matches("sqk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}");
        assertThat(accountOf(text)).contains("acme");
        assertThat(store.find(issued.key().prefix()).orElseThrow().hash()).isEqualTo(issued.key().hash())
                .doesNotContain(issued.key().secret());
        assertThat(issued.stored().toString()).doesNotContain(issued.key().secret());
        assertThat(issued.key().toString()).doesNotContain(issued.key().secret());
        assertThat(keys.issue("acme").key().text()).as("every key is new").isNotEqualTo(text);
    }

    @Test
    void anything_but_a_live_key_opens_nothing() {
        String text = keys.issue("acme").key().text();
        char last = text.charAt(text.length() - 1);
        String wrongSecret = text.substring(0, text.length() - 1) + (last == 'A' ? 'B' : 'A');
        AccountApiKey unknown = AccountApiKey.generate(new SecureRandom());

        for (String presented : new String[] {wrongSecret, unknown.text(), text + "x", text.substring(1), "", null,
                text.toUpperCase(), " " + text, "sqk_", "Bearer " + text}) {
            assertThat(accountOf(presented)).as(String.valueOf(presented)).isEmpty();
        }
    }

    @Test
    void a_revoked_key_opens_nothing_and_is_no_longer_listed() {
        AccountKeys.Issued first = keys.issue("acme");
        AccountKeys.Issued second = keys.issue("acme");
        keys.issue("acme-other");

        assertThat(keys.list("acme")).extracting(k -> k.prefix())
                .containsExactlyInAnyOrder(first.key().prefix(), second.key().prefix());
        keys.revoke("acme", first.key().prefix());

        assertThat(accountOf(first.key().text())).isEmpty();
        assertThat(accountOf(second.key().text())).contains("acme");
        assertThat(keys.list("acme")).extracting(k -> k.prefix()).containsExactly(second.key().prefix());
    }

    @Test
    void a_use_is_recorded_at_most_once_an_hour() {
        AccountKeys.Issued issued = keys.issue("acme");
        String prefix = issued.key().prefix();
        assertThat(store.find(prefix).orElseThrow().lastUsedAt()).isEmpty();

        Instant first = clock.instant();
        assertThat(store.find(prefix).orElseThrow().lastUsedAt()).as("looking a key up is no use").isEmpty();
        use(issued.key().text());
        assertThat(store.find(prefix).orElseThrow().lastUsedAt()).contains(first);
        clock.advance(Duration.ofMinutes(59));
        use(issued.key().text());
        assertThat(store.find(prefix).orElseThrow().lastUsedAt()).as("within the hour").contains(first);
        clock.advance(Duration.ofMinutes(2));
        use(issued.key().text());
        assertThat(store.find(prefix).orElseThrow().lastUsedAt()).contains(clock.instant());
        assertThat(keys.keyOf(issued.key().text() + "x")).isEmpty();
        assertThat(keys.list("acme").get(0).lastUsedAt()).contains(clock.instant());
    }

    @Test
    void an_account_cannot_revoke_another_accounts_key() {
        AccountKeys.Issued other = keys.issue("acme-other");

        assertThatThrownBy(() -> keys.revoke("acme", other.key().prefix())).isInstanceOf(NotFound.class);
        assertThat(accountOf(other.key().text())).contains("acme-other");
        assertThatThrownBy(() -> keys.revoke("acme", "x' or 1")).isInstanceOf(Invalid.class);
    }

    private Optional<String> accountOf(String presented) {
        return keys.keyOf(presented).map(AccountKey::account);
    }

    private void use(String presented) {
        keys.recordUse(keys.keyOf(presented).orElseThrow());
    }

    /** The store, where the first {@code clashes} keys created find their prefix taken; counts the tries. */
    private AccountKeyStore clashing(int clashes, AtomicInteger tries) {
        return PortInterceptor.around(AccountKeyStore.class, store, (method, args, proceed) -> {
            if (method.getName().equals("create") && tries.incrementAndGet() <= clashes) {
                throw new AlreadyExists("key prefix");
            }
            return proceed.call();
        });
    }

    @Test
    void a_prefix_that_is_taken_already_is_drawn_again_up_to_five_times() {
        var tries = new java.util.concurrent.atomic.AtomicInteger();
        AccountKeys.Issued issued = new AccountKeys(clashing(4, tries), new SecureRandom(), clock).issue("acme");
        assertThat(tries).hasValue(5);
        assertThat(accountOf(issued.key().text())).contains("acme");

        var unlucky = new java.util.concurrent.atomic.AtomicInteger();
        AccountKeys neverFree = new AccountKeys(clashing(Integer.MAX_VALUE, unlucky), new SecureRandom(), clock);
        assertThatThrownBy(() -> neverFree.issue("acme")).isInstanceOf(AlreadyExists.class);
        assertThat(unlucky).hasValue(5);
    }
}
