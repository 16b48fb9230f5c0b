package io.sequencer.domain.account;

import java.time.Instant;
import java.util.Optional;

/**
 * An account API key as stored: its public prefix, the account it opens, its hash (never the key itself), when it
 * was made and, roughly (to the hour), when it was last used.
 */
public record AccountKey(String prefix, String account, String hash, Instant createdAt, Optional<Instant> lastUsedAt) {
    public AccountKey(String prefix, String account, String hash, Instant createdAt) {
        this(prefix, account, hash, createdAt, Optional.empty());
    }
}
