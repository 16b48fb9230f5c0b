package io.sequencer.engine.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.adapters.crypto.LocalKeyWrap;
import io.sequencer.domain.Invalid;
import io.sequencer.engine.AlreadyExists;
import io.sequencer.engine.Conflict;
import io.sequencer.engine.NotFound;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import io.sequencer.engine.secret.AccountSecrets;
import io.sequencer.engine.secret.KeyWrap;
import io.sequencer.engine.secret.SealedSecret;
import io.sequencer.engine.secret.SecretInfo;
import io.sequencer.engine.secret.SecretSeal;
import io.sequencer.engine.secret.SecretStore;
import io.sequencer.engine.secret.SecretUnreadable;
import io.sequencer.engine.secret.SecretValues;
import io.sequencer.testing.SteppingClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link SecretStore} must do, and what {@link AccountSecrets} makes of it: run against the in-memory
 * store and Azure Tables alike, with a local key file as the wrapping key. The cache is off (TTL zero), so every
 * read goes to the store.
 */
public abstract class SecretStoreContract {
    @TempDir
    Path keys;

    protected SecretStore store;
    protected SteppingClock clock;
    protected AccountSecrets secrets;
    protected final Map<String, List<String>> users = new ConcurrentHashMap<>();

    protected abstract SecretStore newStore();

    /** The same stored secrets through a new store instance, as a restarted process would open them. */
    protected abstract SecretStore reopened();

    @BeforeEach
    void createStore() {
        store = newStore();
        clock = SteppingClock.at("2026-03-01T09:00:00Z");
        secrets = secretsOver(store, new LocalKeyWrap(keys.resolve("master.key")));
    }

    protected AccountSecrets secretsOver(SecretStore over, KeyWrap wrap) {
        return new AccountSecrets(over, wrap, (account, name) -> users.getOrDefault(account + "|" + name, List.of()),
                clock, Duration.ZERO);
    }

    @Test
    void a_put_secret_reads_back_and_lists_without_its_value() {
        AccountSecrets.Saved saved = secrets.put("acme", "hook", "whsec_c2VjcmV0", Optional.empty());
        assertThat(saved.created()).isTrue();
        assertThat(secrets.reveal("acme", "hook")).contains(new SecretValues("whsec_c2VjcmV0", Optional.empty()));
        List<SecretInfo> listed = secrets.list("acme");
        assertThat(listed).extracting(SecretInfo::name).containsExactly("hook");
        assertThat(listed.get(0).fingerprint()).matches("[0-9a-f]{8}").isEqualTo(saved.info().fingerprint());
        assertThat(listed.toString()).doesNotContain("c2VjcmV0");
    }

    @Test
    void a_second_put_replaces_and_keeps_created_at() {
        secrets.put("acme", "hook", "first", Optional.empty());
        clock.advance(Duration.ofMinutes(5));
        AccountSecrets.Saved replaced = secrets.put("acme", "hook", "second", Optional.empty());
        assertThat(replaced.created()).isFalse();
        assertThat(replaced.info().updatedAt()).isAfter(replaced.info().createdAt());
        assertThat(secrets.reveal("acme", "hook")).contains(new SecretValues("second", Optional.empty()));
    }

    @Test
    void a_kept_previous_value_is_revealed_until_its_end() {
        secrets.put("acme", "hook", "old", Optional.empty());
        AccountSecrets.Saved rotated = secrets.put("acme", "hook", "new", Optional.of(Duration.ofHours(48)));
        assertThat(rotated.info().previousUntil()).contains(clock.instant().plus(Duration.ofHours(48)));
        assertThat(secrets.reveal("acme", "hook")).contains(new SecretValues("new", Optional.of("old")));
        clock.advance(Duration.ofHours(48));
        assertThat(secrets.reveal("acme", "hook")).contains(new SecretValues("new", Optional.empty()));
        assertThat(secrets.list("acme").get(0).previousUntil()).isEmpty();
    }

    @Test
    void secrets_are_per_account() {
        secrets.put("acme", "hook", "acme's", Optional.empty());
        assertThat(secrets.reveal("intruder", "hook")).isEmpty();
        assertThat(secrets.exists("intruder", "hook")).isFalse();
        assertThat(secrets.list("intruder")).isEmpty();
        secrets.put("intruder", "hook", "intruder's", Optional.empty());
        assertThat(secrets.reveal("acme", "hook").orElseThrow().current()).isEqualTo("acme's");
        assertThat(store.dataKey("acme").orElseThrow().value())
                .as("a data key per account").isNotEqualTo(store.dataKey("intruder").orElseThrow().value());
    }

    @Test
    void a_ciphertext_copied_into_another_account_does_not_open_there() {
        secrets.put("acme", "hook", "acme's", Optional.empty());
        secrets.put("intruder", "hook", "intruder's", Optional.empty());
        Stored<SealedSecret> theirs = store.find("intruder", "hook").orElseThrow();
        SealedSecret acme = store.find("acme", "hook").orElseThrow().value();
        store.replace(new SealedSecret("intruder", "hook", acme.current(), Optional.empty(), Optional.empty(),
                acme.fingerprint(), acme.createdAt(), acme.updatedAt()), theirs.etag());
        assertThatThrownBy(() -> secrets.reveal("intruder", "hook")).isInstanceOf(SecretUnreadable.class)
                .hasMessageNotContaining("acme's");
    }

    @Test
    void a_changed_ciphertext_fails_cleanly() {
        secrets.put("acme", "hook", "value", Optional.empty());
        Stored<SealedSecret> found = store.find("acme", "hook").orElseThrow();
        SealedSecret s = found.value();
        byte[] changed = s.current().ciphertext();
        changed[changed.length - 1] ^= 1;
        store.replace(new SealedSecret("acme", "hook", new SecretSeal.Sealed(s.version(), s.current().nonce(), changed),
                Optional.empty(), Optional.empty(), s.fingerprint(), s.createdAt(), s.updatedAt()), found.etag());
        assertThatThrownBy(() -> secrets.reveal("acme", "hook")).isInstanceOf(SecretUnreadable.class);
    }

    @Test
    void a_restart_with_the_same_key_reads_every_secret_back() {
        secrets.put("acme", "hook", "value", Optional.empty());
        AccountSecrets restarted = secretsOver(reopened(), new LocalKeyWrap(keys.resolve("master.key")));
        assertThat(restarted.reveal("acme", "hook").orElseThrow().current()).isEqualTo("value");
    }

    @Test
    void another_wrapping_key_cannot_read_them() {
        secrets.put("acme", "hook", "value", Optional.empty());
        AccountSecrets other = secretsOver(store, new LocalKeyWrap(keys.resolve("other.key")));
        assertThatThrownBy(() -> other.reveal("acme", "hook")).isInstanceOf(SecretUnreadable.class);
    }

    @Test
    void a_data_key_wrapped_by_a_rotated_out_key_is_rewrapped_when_read() throws Exception {
        secrets.put("acme", "hook", "value", Optional.empty());
        String before = store.dataKey("acme").orElseThrow().value().keyId();
        Files.move(keys.resolve("master.key"), keys.resolve("master.key" + LocalKeyWrap.PREVIOUS_SUFFIX));
        LocalKeyWrap rotated = new LocalKeyWrap(keys.resolve("master.key"));
        assertThat(secretsOver(store, rotated).reveal("acme", "hook").orElseThrow().current()).isEqualTo("value");
        assertThat(store.dataKey("acme").orElseThrow().value().keyId()).isNotEqualTo(before)
                .isEqualTo(rotated.currentKeyId());
        Files.delete(keys.resolve("master.key" + LocalKeyWrap.PREVIOUS_SUFFIX));
        assertThat(secretsOver(store, new LocalKeyWrap(keys.resolve("master.key"))).reveal("acme", "hook")
                .orElseThrow().current()).as("the old key is no longer needed").isEqualTo("value");
    }

    @Test
    void delete_removes_refuses_while_in_use_and_answers_not_found_after() {
        secrets.put("acme", "hook", "value", Optional.empty());
        users.put("acme|hook", List.of("sequence welcome"));
        assertThatThrownBy(() -> secrets.delete("acme", "hook")).isInstanceOf(Conflict.class)
                .hasMessageContaining("sequence welcome").hasMessageNotContaining("value");
        users.clear();
        secrets.delete("acme", "hook");
        assertThat(secrets.reveal("acme", "hook")).isEmpty();
        assertThatThrownBy(() -> secrets.delete("acme", "hook")).isInstanceOf(NotFound.class);
        assertThatThrownBy(() -> secrets.delete("intruder", "never")).isInstanceOf(NotFound.class);
    }

    @Test
    void names_values_and_keep_times_are_validated() {
        assertThatThrownBy(() -> secrets.put("acme", "bad name", "v", Optional.empty())).isInstanceOf(Invalid.class)
                .satisfies(e -> assertThat(((Invalid) e).errors().get(0).field()).isEqualTo("name"));
        assertThatThrownBy(() -> secrets.put("acme", "hook", "", Optional.empty()))
                .satisfies(e -> assertThat(((Invalid) e).errors().get(0).field()).isEqualTo("value"));
        assertThatThrownBy(() -> secrets.put("acme", "hook", "x".repeat(AccountSecrets.MAX_VALUE_CHARS + 1),
                Optional.empty())).satisfies(e -> assertThat(((Invalid) e).errors().get(0).field()).isEqualTo("value"));
        assertThatThrownBy(() -> secrets.put("acme", "hook", "v", Optional.of(Duration.ofDays(31))))
                .satisfies(e -> assertThat(((Invalid) e).errors().get(0).field()).isEqualTo("keepPrevious"));
        assertThat(secrets.list("acme")).isEmpty();
    }

    @Test
    void writes_are_conditional() {
        secrets.put("acme", "hook", "value", Optional.empty());
        Stored<SealedSecret> found = store.find("acme", "hook").orElseThrow();
        assertThatThrownBy(() -> store.create(found.value())).isInstanceOf(AlreadyExists.class);
        store.replace(found.value(), found.etag());
        assertThatThrownBy(() -> store.replace(found.value(), found.etag())).isInstanceOf(StaleWrite.class);
        Stored<KeyWrap.WrappedKey> key = store.dataKey("acme").orElseThrow();
        assertThatThrownBy(() -> store.createDataKey("acme", key.value())).isInstanceOf(AlreadyExists.class);
        store.replaceDataKey("acme", key.value(), key.etag());
        assertThatThrownBy(() -> store.replaceDataKey("acme", key.value(), key.etag())).isInstanceOf(StaleWrite.class);
        assertThat(store.delete("acme", "hook")).isTrue();
        assertThat(store.delete("acme", "hook")).isFalse();
    }
}
