package io.sequencer.engine.idempotency;

import io.sequencer.engine.Stored;
import java.time.Instant;
import java.util.Optional;

/**
 * Port: idempotency keys, one record per account and key. Writes are conditional: the create is the claim that
 * lets exactly one of several simultaneous requests with the same key run.
 */
public interface IdempotencyStore {
    Optional<Stored<IdempotencyRecord>> find(String account, String key);

    /** @throws AlreadyExists when the account already has a record for the key */
    void create(IdempotencyRecord record);

    /** @throws StaleWrite when the stored record's ETag is no longer {@code etag} (or it is gone) */
    void replace(IdempotencyRecord record, String etag);

    /** Deletes the record if it still has {@code etag}; false when it changed since. */
    boolean delete(String account, String key, String etag);

    /**
     * Deletes the account's kept answers whose body contains {@code text} (a subscriber's id, quoted as JSON quotes
     * it, when the subscriber is erased); a retry of such a request with its key then runs anew. @return how many
     */
    int removeAnswersContaining(String account, String text);

    /**
     * Deletes up to {@code max} records, of any account, that were free ({@link IdempotencyRecord#freeAt()}) before
     * {@code instant} and have not changed since they were found; returns how many.
     */
    int removeFreedBefore(Instant instant, int max);
}
