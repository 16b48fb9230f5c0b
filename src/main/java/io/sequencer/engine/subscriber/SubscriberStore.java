package io.sequencer.engine.subscriber;

import io.sequencer.domain.subscriber.Subscriber;
import io.sequencer.engine.Stored;
import java.util.List;
import java.util.Optional;

/** Port: where subscriber profiles live. Writes are conditional, like every store's. */
public interface SubscriberStore {
    Optional<Stored<Subscriber>> find(String account, String subscriberId);

    /** @throws AlreadyExists when the subscriber exists */
    void create(Subscriber subscriber);

    /**
     * Creates every one of {@code subscribers} (all of {@code account}, distinct, at most 100) at once, or none:
     * false, with nothing written, when any of them exists. A store that cannot write them in one go answers false
     * (the default), and its callers create them one at a time.
     */
    default boolean createAll(String account, List<Subscriber> subscribers) {
        return false;
    }

    /** @throws StaleWrite when the stored subscriber's ETag is no longer {@code etag} */
    void replace(Subscriber subscriber, String etag);

    /**
     * Deletes the profile if it still has {@code etag}; one already gone stays gone.
     * @throws StaleWrite when it changed since
     */
    void delete(String account, String subscriberId, String etag);

    /** Up to {@code max} of the account's subscribers in id order, starting after {@code afterId} (from the first). */
    List<Subscriber> page(String account, Optional<String> afterId, int max);
}
