package io.sequencer.engine.account;

import io.sequencer.domain.Ids;
import io.sequencer.domain.Invalid;
import io.sequencer.domain.account.AccountApiKey;
import io.sequencer.domain.account.AccountKey;
import io.sequencer.engine.AlreadyExists;
import io.sequencer.engine.NotFound;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Issues, lists, revokes and recognises account API keys: keys that open one account's routes and nothing else. */
public final class AccountKeys {
    /** How stale a key's "last used" may get: recording every use would add a write to every request. */
    static final Duration USE_RECORDING = Duration.ofHours(1);
    private static final Logger LOG = Logger.getLogger(AccountKeys.class.getName());
    /** Prefixes are random; a clash is rare enough that a few tries always find a free one. */
    private static final int ATTEMPTS = 5;

    private final AccountKeyStore store;
    private final SecureRandom random;
    private final Clock clock;

    public AccountKeys(AccountKeyStore store, SecureRandom random, Clock clock) {
        this.store = store;
        this.random = random;
        this.clock = clock;
    }

    /** A new key and what is stored of it; the key's text exists only in this answer. */
    public record Issued(AccountApiKey key, AccountKey stored) {}

    public Issued issue(String account) {
        Ids.require("account", account);
        for (int attempt = 1; ; attempt++) {
            AccountApiKey key = AccountApiKey.generate(random);
            AccountKey stored = new AccountKey(key.prefix(), account, key.hash(),
                    clock.instant().truncatedTo(ChronoUnit.MILLIS));
            try {
                store.create(stored);
                return new Issued(key, stored);
            } catch (AlreadyExists clash) {
                if (attempt == ATTEMPTS) {
                    throw clash;
                }
            }
        }
    }

    /** The account's keys, oldest first. */
    public List<AccountKey> list(String account) {
        Ids.require("account", account);
        return store.list(account).stream()
                .sorted(Comparator.comparing(AccountKey::createdAt).thenComparing(AccountKey::prefix)).toList();
    }

    /** @throws NotFound when the account has no key with that prefix (another account's counts as none) */
    public void revoke(String account, String prefix) {
        Ids.require("account", account);
        if (!AccountApiKey.isPrefix(prefix)) {
            throw new Invalid("prefix", "must be a key's prefix: 12 hex digits");
        }
        if (!store.delete(account, prefix)) {
            throw new NotFound("key " + prefix);
        }
    }

    /** The live key {@code presented} is; empty for anything that is not one, whatever the reason. */
    public Optional<AccountKey> keyOf(String presented) {
        return AccountApiKey.parse(presented).flatMap(key -> store.find(key.prefix())
                .filter(stored -> MessageDigest.isEqual(stored.hash().getBytes(StandardCharsets.US_ASCII),
                        key.hash().getBytes(StandardCharsets.US_ASCII))));
    }

    /**
     * Records that {@code key} opened a route of its account: at most once per {@link #USE_RECORDING}, and only for
     * a request it was admitted to (a refused one is no use); failing to record never refuses the request.
     */
    public void recordUse(AccountKey key) {
        markUsed(key);
    }

    private void markUsed(AccountKey key) {
        Instant now = clock.instant();
        if (key.lastUsedAt().map(at -> at.plus(USE_RECORDING).isAfter(now)).orElse(false)) {
            return;
        }
        try {
            store.markUsed(key.prefix(), now.truncatedTo(ChronoUnit.SECONDS));
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "could not record the use of key " + key.prefix(), e);
        }
    }
}
