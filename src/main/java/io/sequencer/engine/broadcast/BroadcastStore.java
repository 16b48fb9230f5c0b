package io.sequencer.engine.broadcast;

import io.sequencer.domain.broadcast.AudienceMember;
import io.sequencer.domain.broadcast.Broadcast;
import io.sequencer.domain.broadcast.Recipient;
import io.sequencer.domain.report.Tally;
import io.sequencer.engine.Stored;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Port: broadcasts, their listed subscribers, their recipients with the tally of what became of them, and the
 * leases of the senders working on them. Writes are conditional, like every store's.
 */
public interface BroadcastStore {

    Optional<Stored<Broadcast>> find(String account, String broadcastId);

    /** Every broadcast of {@code account} (definitions only), ordered by id. */
    List<Broadcast> list(String account);

    /**
     * Stores a new broadcast with its listed subscribers ({@link Broadcast#LISTED_PAGE} per page), atomically.
     * @throws AlreadyExists when the broadcast exists
     */
    void create(Broadcast broadcast, List<AudienceMember> listed);

    /** @throws StaleWrite when the stored broadcast's ETag is no longer {@code etag} */
    void replace(Broadcast broadcast, String etag);

    /** Page {@code page} of the broadcast's listed subscribers, in the order given. */
    List<AudienceMember> listedPage(String account, String broadcastId, int page);

    /**
     * Adds those of {@code recipients} not stored yet (a subscriber already there keeps their state), counting each
     * added one in the broadcast's audience in the same write. @return how many were added
     */
    int addRecipients(String account, String broadcastId, List<Recipient> recipients);

    Optional<Stored<Recipient>> recipient(String account, String broadcastId, String subscriberId);

    /**
     * Replaces the recipient if it still has {@code etag}, with no count changing (a claim or a release).
     * @return the new ETag
     * @throws StaleWrite when it changed
     */
    String replaceRecipient(Recipient next, String etag);

    /**
     * Replaces the recipient if it still has {@code etag}, adding {@code change} to the broadcast's tally in the same
     * atomic write. @throws StaleWrite when it changed
     */
    void replaceRecipient(Recipient next, String etag, Tally change);

    /**
     * Removes every trace of the subscriber from the broadcast: their recipient entry and their place among the
     * listed subscribers (the other members keep their pages). The counts they added stay. Repeating it is harmless.
     */
    void forget(String account, String broadcastId, String subscriberId);

    /** The broadcast's counts, summed over every writer. */
    Tally tally(String account, String broadcastId);

    /** Records that sender {@code token} may send for the broadcast until {@code until}. */
    void openLease(String account, String broadcastId, String token, Instant until);

    /** The sender is done (a missing lease is fine). */
    void closeLease(String account, String broadcastId, String token);

    /** When each lease still recorded for the broadcast ends. */
    List<Instant> leases(String account, String broadcastId);
}
