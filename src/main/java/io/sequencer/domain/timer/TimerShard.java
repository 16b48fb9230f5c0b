package io.sequencer.domain.timer;

import io.sequencer.domain.Sha256;
import io.sequencer.domain.enrollment.EnrollmentKey;

/**
 * Which of the triggered timer queues an enrollment's ticks go to. One storage queue serves about 2,000 messages
 * a second, so timers are spread over several queues, each with its trigger. The choice is a stable hash of the
 * enrollment's key: every tick of one enrollment (its hops, retries and replays too) lands in the same queue, and
 * a restart, another instance or another version picks the same one for the same number of shards.
 */
public final class TimerShard {
    /**
     * The most shards there can be: one queue trigger is deployed for each. Every delivered step costs about four
     * storage transactions, so one account's 20,000 transactions a second are reached at about three queues' worth
     * of steps; more shards on one account would only add idle polling.
     */
    public static final int MAX = 4;

    private TimerShard() {}

    /** The shard (0 to {@code shards} - 1) of {@code key}'s ticks. */
    public static int of(EnrollmentKey key, int shards) {
        requireCount(shards);
        if (shards == 1) {
            return 0;
        }
        byte[] hash = Sha256.of(key.account() + "|" + key.sequenceId() + "|" + key.subscriberId());
        long first = ((hash[0] & 0xffL) << 24) | ((hash[1] & 0xffL) << 16) | ((hash[2] & 0xffL) << 8) | (hash[3] & 0xffL);
        return (int) (first % shards);
    }

    /** {@code shards}, when it is 1 to {@link #MAX}. */
    public static int requireCount(int shards) {
        if (shards < 1 || shards > MAX) {
            throw new IllegalArgumentException("shards must be 1 to " + MAX + ", was " + shards);
        }
        return shards;
    }
}
