package io.sequencer.domain.sequence;

import io.sequencer.domain.Sha256;
import java.nio.ByteBuffer;

/**
 * Sticky assignment to the arms of a test or to a sequence's holdout: a point in [0, 1) read off the SHA-256 of
 * account, sequence, subscriber and step (or {@code holdout}), so every instance, every retry and every restart
 * places a subscriber alike, with no state stored. {@code String.hashCode} would do for one JVM but spreads ids
 * that differ in a trailing digit poorly; SHA-256 spreads any ids evenly.
 */
public final class Assignment {
    /** The unit name a sequence's holdout is drawn under: no step id can equal it, as ids are checked for it. */
    static final String HOLDOUT = "#holdout";
    private static final double TWO_TO_53 = 0x1p53;

    private Assignment() {}

    /** Who is being placed, and for which decision. */
    public record Unit(String account, String sequenceId, String subscriberId, String decision) {}

    /** The unit of a step's variants or split. */
    public static Unit step(String account, String sequenceId, String subscriberId, String stepId) {
        return new Unit(account, sequenceId, subscriberId, stepId);
    }

    /** The point in [0, 1) of {@code unit}: the first 53 bits of its hash. */
    public static double point(Unit unit) {
        String material = String.join("|", unit.account(), unit.sequenceId(), unit.subscriberId(), unit.decision());
        long bits = ByteBuffer.wrap(Sha256.of(material)).getLong() >>> 11;
        return bits / TWO_TO_53;
    }

    /** The index of the arm {@code unit} falls in, arms weighted by {@code weights} (each positive). */
    public static int pick(Unit unit, int[] weights) {
        long total = 0;
        for (int w : weights) {
            total += w;
        }
        double at = point(unit) * total;
        long upTo = 0;
        for (int i = 0; i < weights.length; i++) {
            upTo += weights[i];
            if (at < upTo) {
                return i;
            }
        }
        return weights.length - 1;
    }

    /** True when {@code subscriberId} is in the {@code percent} per cent of the sequence's enrollments held out. */
    public static boolean heldOut(String account, String sequenceId, String subscriberId, int percent) {
        return percent > 0 && point(new Unit(account, sequenceId, subscriberId, HOLDOUT)) * 100 < percent;
    }
}
