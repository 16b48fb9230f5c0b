package io.sequencer.engine.limit;

import io.sequencer.domain.limit.FrequencyLimits;
import io.sequencer.domain.limit.SendLog;
import io.sequencer.engine.Stored;
import java.util.Optional;

/**
 * Port: each account's frequency caps (one record per account) and each subscriber's send log (one record per
 * subscriber). Log writes are conditional: two instances sending to one subscriber at once cannot both take the
 * last place under a cap.
 */
public interface CapStore {
    Optional<FrequencyLimits> limits(String account);

    /** Sets the account's caps, replacing any. */
    void putLimits(FrequencyLimits limits);

    /** Removes the account's caps; nothing when there are none. Send logs stay (they age out). */
    void deleteLimits(String account);

    Optional<Stored<SendLog>> log(String account, String subscriberId);

    /** @throws io.sequencer.engine.AlreadyExists when the subscriber has a log */
    void createLog(String account, String subscriberId, SendLog log);

    /** @throws io.sequencer.engine.StaleWrite when the stored log's ETag is no longer {@code etag} */
    void replaceLog(String account, String subscriberId, SendLog log, String etag);
}
