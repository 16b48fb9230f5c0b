package io.sequencer.domain;

import java.time.Instant;

/** An account API key as stored: its public prefix, the account it opens, and its hash; never the key itself. */
public record AccountKey(String prefix, String account, String hash, Instant createdAt) {}
