package io.sequencer.engine.secret;

import io.sequencer.domain.Ids;
import java.time.Instant;
import java.util.Optional;

/**
 * One account secret as stored: its value sealed under the account's data key, and during a rotation the previous
 * value, sealed as it was, with the time it stops being used. The fingerprint is keyed ({@link SecretSeal}).
 */
public record SealedSecret(String account, String name, SecretSeal.Sealed current,
                           Optional<SecretSeal.Sealed> previous, Optional<Instant> previousUntil, String fingerprint,
                           Instant createdAt, Instant updatedAt) {
    public SealedSecret {
        Ids.require("account", account);
        Ids.require("name", name);
        if (current == null || previous == null || previousUntil == null || fingerprint == null || createdAt == null
                || updatedAt == null || previous.isPresent() != previousUntil.isPresent()) {
            throw new IllegalArgumentException("a sealed value, a fingerprint and timestamps are required; "
                    + "a previous value comes with its end");
        }
    }

    public long version() {
        return current.version();
    }

    /** The previous value while it is still in use at {@code now}. */
    Optional<SecretSeal.Sealed> previousAt(Instant now) {
        return previousUntil.filter(now::isBefore).flatMap(until -> previous);
    }
}
