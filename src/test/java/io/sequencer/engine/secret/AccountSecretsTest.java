package io.sequencer.engine.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.adapters.crypto.LocalKeyWrap;
import io.sequencer.domain.Invalid;
import io.sequencer.engine.AlreadyExists;
import io.sequencer.engine.StaleWrite;
import io.sequencer.testing.InMemorySecretStore;
import io.sequencer.testing.SteppingClock;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An account's secrets with the cache on, as the app runs them: this instance sees its own writes at once, another
 * instance's within the cache time, and a kept previous value never outlives its end. (The store contract covers
 * the rest with the cache off.)
 */
class AccountSecretsTest {
    private static final Duration TTL = AccountSecrets.DEFAULT_CACHE_TTL;

    @TempDir
    Path keys;

    private final SteppingClock clock = SteppingClock.at("2026-03-01T09:00:00Z");
    private final InMemorySecretStore store = new InMemorySecretStore();
    private AccountSecrets secrets;

    @BeforeEach
    void open() {
        secrets = instance();
    }

    /** Another instance of the app over the same store and key. */
    private AccountSecrets instance() {
        return new AccountSecrets(store, new LocalKeyWrap(keys.resolve("master.key")), (account, name) -> List.of(),
                clock, TTL);
    }

    private Optional<String> current(AccountSecrets over, String name) {
        return over.reveal("acme", name).map(SecretValues::current);
    }

    @Test
    void this_instance_sees_its_own_writes_and_deletes_at_once_though_it_read_the_secret_just_before() {
        assertThat(secrets.reveal("acme", "hook")).isEmpty();
        secrets.put("acme", "hook", "first", Optional.empty());
        assertThat(current(secrets, "hook")).contains("first");
        secrets.put("acme", "hook", "second", Optional.empty());
        assertThat(current(secrets, "hook")).contains("second");
        secrets.delete("acme", "hook");
        assertThat(secrets.reveal("acme", "hook")).isEmpty();
    }

    @Test
    void a_value_replaced_by_another_instance_is_sent_for_at_most_the_cache_time() {
        secrets.put("acme", "hook", "first", Optional.empty());
        assertThat(current(secrets, "hook")).contains("first");
        instance().put("acme", "hook", "second", Optional.empty());
        assertThat(current(secrets, "hook")).as("still within the cache time").contains("first");
        clock.advance(TTL);
        assertThat(current(secrets, "hook")).contains("second");
    }

    @Test
    void a_kept_previous_value_leaves_the_cache_when_its_keep_ends_not_when_the_cache_time_does() {
        secrets.put("acme", "hook", "old", Optional.empty());
        secrets.put("acme", "hook", "new", Optional.of(Duration.ofSeconds(10)));
        assertThat(secrets.reveal("acme", "hook")).contains(new SecretValues("new", Optional.of("old")));
        clock.advance(Duration.ofSeconds(10));
        assertThat(secrets.reveal("acme", "hook")).contains(new SecretValues("new", Optional.empty()));
    }

    @Test
    void exists_answers_for_a_stored_name_only_and_never_for_a_name_that_is_not_one() {
        secrets.put("acme", "hook", "value", Optional.empty());
        assertThat(secrets.exists("acme", "hook")).isTrue();
        assertThat(secrets.exists("acme", "other")).isFalse();
        assertThat(secrets.exists("other-account", "hook")).isFalse();
        assertThat(secrets.exists("acme", "not a name!")).isFalse();
    }

    @Test
    void a_value_may_have_up_to_eight_thousand_one_hundred_ninety_two_characters() {
        secrets.put("acme", "big", "x".repeat(AccountSecrets.MAX_VALUE_CHARS), Optional.empty());
        assertThat(current(secrets, "big")).hasValueSatisfying(v -> assertThat(v).hasSize(AccountSecrets.MAX_VALUE_CHARS));
        assertThatThrownBy(() -> secrets.put("acme", "big", "x".repeat(AccountSecrets.MAX_VALUE_CHARS + 1), Optional.empty()))
                .isInstanceOf(Invalid.class).hasMessageContaining("value");
    }

    @Test
    void a_previous_value_may_be_kept_for_thirty_days_and_no_longer() {
        secrets.put("acme", "hook", "old", Optional.empty());
        secrets.put("acme", "hook", "new", Optional.of(AccountSecrets.MAX_KEEP_PREVIOUS));
        assertThat(secrets.list("acme")).singleElement()
                .satisfies(info -> assertThat(info.previousUntil()).contains(clock.instant().plus(AccountSecrets.MAX_KEEP_PREVIOUS)));
        assertThatThrownBy(() -> secrets.put("acme", "hook", "newer",
                Optional.of(AccountSecrets.MAX_KEEP_PREVIOUS.plusSeconds(1))))
                .isInstanceOf(Invalid.class).hasMessageContaining("keepPrevious");
    }

    /** The store, where every call of {@code methods} loses a race to another writer; counts them. */
    private SecretStore losing(AtomicInteger writes, RuntimeException lost, String... methods) {
        List<String> racing = List.of(methods);
        return (SecretStore) Proxy.newProxyInstance(SecretStore.class.getClassLoader(),
                new Class<?>[] {SecretStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("dataKey") && racing.contains("createDataKey")) {
                        return Optional.empty(); // another writer's key is never seen in time
                    }
                    if (racing.contains(method.getName())) {
                        writes.incrementAndGet();
                        throw lost;
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void a_write_that_keeps_losing_races_gives_up_after_five_rounds() {
        secrets.put("acme", "hook", "first", Optional.empty());
        var writes = new java.util.concurrent.atomic.AtomicInteger();
        AccountSecrets raced = new AccountSecrets(losing(writes, new StaleWrite("secret"), "replace"),
                new LocalKeyWrap(keys.resolve("master.key")), (account, name) -> List.of(), clock, TTL);
        assertThatThrownBy(() -> raced.put("acme", "hook", "second", Optional.empty())).isInstanceOf(IllegalStateException.class);
        assertThat(writes).hasValue(5);
        assertThat(current(secrets, "hook")).contains("first");
    }

    @Test
    void a_data_key_that_keeps_being_created_elsewhere_unseen_gives_up_after_five_rounds() {
        var writes = new java.util.concurrent.atomic.AtomicInteger();
        AccountSecrets raced = new AccountSecrets(losing(writes, new AlreadyExists("data key"), "createDataKey"),
                new LocalKeyWrap(keys.resolve("master.key")), (account, name) -> List.of(), clock, TTL);
        assertThatThrownBy(() -> raced.put("acme", "hook", "value", Optional.empty())).isInstanceOf(IllegalStateException.class);
        assertThat(writes).hasValue(5);
    }
}
