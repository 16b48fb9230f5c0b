package io.sequencer.domain.broadcast;

import io.sequencer.domain.Sha256;
import io.sequencer.domain.sequence.Condition;
import io.sequencer.domain.sequence.ConditionFacts;
import io.sequencer.domain.subscriber.Attributes;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Who a broadcast goes to: the {@code listed} subscribers named in it, and, when {@code everyone} is set or a
 * {@code match} condition is given, every subscriber of the account whose profile matches (all of them without a
 * condition). A subscriber in both is sent the message once. The condition tests attributes only: a broadcast
 * has no steps for engagement tests to name.
 *
 * @param listed how many subscribers the broadcast names
 * @param listedDigest a digest of the listed subscribers and their profile values, so that a repeated request is
 *     told apart from one naming others ({@link #of})
 */
public record Audience(int listed, String listedDigest, boolean everyone, Optional<Condition> match) {
    /** Subscribers one broadcast may name; larger audiences are chosen by attributes. */
    public static final int MAX_LISTED = 5_000;

    public Audience {
        if (listed < 0 || listed > MAX_LISTED) {
            throw new IllegalArgumentException("listed must be 0 to " + MAX_LISTED);
        }
        if (match == null || listedDigest == null) {
            throw new IllegalArgumentException("match may be empty, never null; listedDigest is required");
        }
        if (listed == 0 && !scansAccount(everyone, match)) {
            throw new IllegalArgumentException("an audience names subscribers, or everyone, or a match");
        }
        match.ifPresent(condition -> {
            if (!testsAttributesOnly(condition)) {
                throw new IllegalArgumentException("an audience condition may test attributes only");
            }
        });
    }

    /** The audience naming {@code members}, with their digest. */
    public static Audience of(List<AudienceMember> members, boolean everyone, Optional<Condition> match) {
        StringBuilder canonical = new StringBuilder();
        for (AudienceMember m : members) {
            canonical.append(m.subscriberId()).append('\n').append(m.timezone().map(ZoneId::getId).orElse("")).append('\n');
            new TreeMap<>(m.attributes()).forEach((name, value) -> canonical.append(name).append('=')
                    .append(value.map(Object::toString).orElse("")).append('\n'));
            canonical.append('\u0000');
        }
        return new Audience(members.size(), Sha256.hex(canonical.toString(), 16), everyone, match);
    }

    /** True when the audience includes the account's subscribers (all, or those matching). */
    public boolean scansAccount() {
        return scansAccount(everyone, match);
    }

    /** Whether a subscriber with {@code attributes} is among the account's subscribers this audience takes. */
    public boolean takes(Attributes attributes) {
        return scansAccount() && match.map(c -> c.holds(new ConditionFacts(List.of(), attributes))).orElse(true);
    }

    private static boolean scansAccount(boolean everyone, Optional<Condition> match) {
        return everyone || match.isPresent();
    }

    /** True when {@code condition} tests nothing but attributes. */
    public static boolean testsAttributesOnly(Condition condition) {
        if (condition instanceof Condition.All all) {
            return all.conditions().stream().allMatch(Audience::testsAttributesOnly);
        }
        if (condition instanceof Condition.Any any) {
            return any.conditions().stream().allMatch(Audience::testsAttributesOnly);
        }
        return condition instanceof Condition.AttributeTest;
    }
}
