package io.sequencer.engine.secret;

import io.sequencer.domain.Ids;
import io.sequencer.domain.Invalid;
import io.sequencer.engine.AlreadyExists;
import io.sequencer.engine.Conflict;
import io.sequencer.engine.NotFound;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each account's secrets (webhook signing secrets, page tokens, API keys), encrypted at rest: AES-256-GCM under a
 * data key of the account's own ({@link SecretSeal}), which is stored only wrapped by the {@link KeyWrap} key. A
 * data key found wrapped by an older key version is wrapped again under the current one when read, so rotating the
 * wrapping key needs no migration run.
 *
 * <p>Values opened for sending are kept in memory for {@link #DEFAULT_CACHE_TTL}: every delivery of a broadcast
 * needs its channel's secret, and without the cache each would cost a table read and a Key Vault unwrap (which Key
 * Vault meters and throttles per vault). The price is that another instance may send with a replaced value for up
 * to that long; a rotation that keeps the previous value for longer than that covers it.
 */
public final class AccountSecrets implements SecretLookup {
    static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(60);
    public static final Duration MAX_KEEP_PREVIOUS = Duration.ofDays(30);
    /** Characters a value may have: far beyond any token or key, small enough for a header and a table property. */
    public static final int MAX_VALUE_CHARS = 8 * 1024;
    private static final int MAX_WRITE_ROUNDS = 5;

    private final SecretStore store;
    private final KeyWrap keyWrap;
    private final SecretUsers users;
    private final Clock clock;
    private final Duration cacheTtl;
    private final Map<String, Cached<SecretSeal>> seals = new ConcurrentHashMap<>();
    private final Map<String, Cached<Optional<SecretValues>>> values = new ConcurrentHashMap<>();

    private record Cached<T>(T value, Instant until) {}

    public AccountSecrets(SecretStore store, KeyWrap keyWrap, SecretUsers users, Clock clock, Duration cacheTtl) {
        this.store = store;
        this.keyWrap = keyWrap;
        this.users = users;
        this.clock = clock;
        this.cacheTtl = cacheTtl;
    }

    public AccountSecrets(SecretStore store, KeyWrap keyWrap, SecretUsers users, Clock clock) {
        this(store, keyWrap, users, clock, DEFAULT_CACHE_TTL);
    }

    /** The answer to a PUT: whether the secret is new, and what may be shown of it. */
    public record Saved(boolean created, SecretInfo info) {}

    /**
     * Sets {@code name} to {@code value}. With {@code keepPrevious}, the value it replaces stays in use (webhooks
     * carry both signatures) for that long; without, it is gone at once.
     * @throws Invalid naming {@code name}, {@code value} or {@code keepPrevious}
     */
    public Saved put(String account, String name, String value, Optional<Duration> keepPrevious) {
        Ids.require("account", account);
        Ids.require("name", name);
        requireValue(value);
        keepPrevious.ifPresent(AccountSecrets::requireKeep);
        SecretSeal seal = seal(account);
        for (int round = 0; round < MAX_WRITE_ROUNDS; round++) {
            Instant now = clock.instant();
            Optional<Stored<SealedSecret>> found = store.find(account, name);
            try {
                if (found.isEmpty()) {
                    SealedSecret created = new SealedSecret(account, name, seal.seal(account, name, 1, value),
                            Optional.empty(), Optional.empty(), seal.fingerprint(account, name, value), now, now);
                    store.create(created);
                    forget(account, name);
                    return new Saved(true, infoOf(created, now));
                }
                SealedSecret old = found.get().value();
                Optional<SecretSeal.Sealed> previous = keepPrevious.map(keep -> old.current());
                SealedSecret replaced = new SealedSecret(account, name,
                        seal.seal(account, name, old.version() + 1, value), previous,
                        keepPrevious.map(now::plus), seal.fingerprint(account, name, value), old.createdAt(), now);
                store.replace(replaced, found.get().etag());
                forget(account, name);
                return new Saved(false, infoOf(replaced, now));
            } catch (AlreadyExists | StaleWrite raced) {
                // Another writer was first: read its version and write over it.
            }
        }
        throw new IllegalStateException("secret " + name + " kept changing under " + MAX_WRITE_ROUNDS + " writes");
    }

    public List<SecretInfo> list(String account) {
        Ids.require("account", account);
        Instant now = clock.instant();
        return store.list(account).stream().map(s -> infoOf(s, now)).toList();
    }

    /** Whether {@code account} has a secret {@code name}: the only question a definition may ask of another account's. */
    public boolean exists(String account, String name) {
        return Ids.problemWith(name).isEmpty() && store.find(account, name).isPresent();
    }

    /**
     * Removes the secret. @throws NotFound when there is none
     * @throws Conflict naming {@code name} while a sequence, broadcast or notification setting names it
     */
    public void delete(String account, String name) {
        Ids.require("account", account);
        Ids.require("name", name);
        if (store.find(account, name).isEmpty()) {
            throw new NotFound("secret " + name);
        }
        List<String> using = users.of(account, name);
        if (!using.isEmpty()) {
            throw new Conflict("name", "secret " + name + " is in use by " + String.join(", ", using));
        }
        if (!store.delete(account, name)) {
            throw new NotFound("secret " + name);
        }
        forget(account, name);
    }

    /**
     * The secret's value, and the previous one while a rotation keeps it; empty when the account has no such secret.
     * @throws SecretUnreadable when the stored secret does not decrypt
     */
    @Override
    public Optional<SecretValues> reveal(String account, String name) {
        String cacheKey = account + "|" + name;
        Instant now = clock.instant();
        Cached<Optional<SecretValues>> cached = values.get(cacheKey);
        if (cached != null && now.isBefore(cached.until())) {
            return cached.value();
        }
        Optional<Stored<SealedSecret>> found = store.find(account, name);
        Optional<SecretValues> opened = found.map(stored -> {
            SealedSecret secret = stored.value();
            SecretSeal seal = seal(account);
            return new SecretValues(seal.open(account, name, secret.current()),
                    secret.previousAt(now).map(p -> seal.open(account, name, p)));
        });
        // A kept previous value must not outlive its end in the cache.
        Instant until = now.plus(cacheTtl);
        Optional<Instant> previousEnds = found.flatMap(s -> s.value().previousUntil())
                .filter(now::isBefore);
        if (previousEnds.isPresent() && previousEnds.get().isBefore(until)) {
            until = previousEnds.get();
        }
        values.put(cacheKey, new Cached<>(opened, until));
        return opened;
    }

    private void forget(String account, String name) {
        values.remove(account + "|" + name);
    }

    /** The account's data key, made on first use, rewrapped when an older key wrapped it. */
    private SecretSeal seal(String account) {
        Instant now = clock.instant();
        Cached<SecretSeal> cached = seals.get(account);
        if (cached != null && now.isBefore(cached.until())) {
            return cached.value();
        }
        SecretSeal seal = new SecretSeal(dataKey(account));
        seals.put(account, new Cached<>(seal, now.plus(cacheTtl)));
        return seal;
    }

    private byte[] dataKey(String account) {
        for (int round = 0; round < MAX_WRITE_ROUNDS; round++) {
            Optional<Stored<KeyWrap.WrappedKey>> found = store.dataKey(account);
            if (found.isEmpty()) {
                byte[] fresh = SecretSeal.newDataKey();
                try {
                    store.createDataKey(account, keyWrap.wrap(fresh));
                    return fresh;
                } catch (AlreadyExists raced) {
                    continue;
                }
            }
            KeyWrap.WrappedKey wrapped = found.get().value();
            byte[] key = keyWrap.unwrap(wrapped);
            if (!wrapped.keyId().equals(keyWrap.currentKeyId())) {
                try {
                    store.replaceDataKey(account, keyWrap.wrap(key), found.get().etag());
                } catch (StaleWrite rewrappedMeanwhile) {
                    // Another instance rewrapped it first; the key inside is the same.
                }
            }
            return key;
        }
        throw new IllegalStateException("the data key of account " + account + " kept changing");
    }

    private static SecretInfo infoOf(SealedSecret s, Instant now) {
        return new SecretInfo(s.name(), s.createdAt(), s.updatedAt(), s.fingerprint(),
                s.previousUntil().filter(now::isBefore));
    }

    private static void requireValue(String value) {
        if (value == null || value.isBlank()) {
            throw new Invalid("value", "is required: a non-empty string");
        }
        if (value.length() > MAX_VALUE_CHARS) {
            throw new Invalid("value", "must be at most " + MAX_VALUE_CHARS + " characters");
        }
    }

    private static void requireKeep(Duration keep) {
        if (keep.isNegative() || keep.isZero() || keep.compareTo(MAX_KEEP_PREVIOUS) > 0) {
            throw new Invalid("keepPrevious", "must be a duration above zero and at most P30D");
        }
    }
}
