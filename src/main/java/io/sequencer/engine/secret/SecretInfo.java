package io.sequencer.engine.secret;

import java.time.Instant;
import java.util.Optional;

/** What the API shows of a secret: never its value. {@code previousUntil} only while a previous value is in use. */
public record SecretInfo(String name, Instant createdAt, Instant updatedAt, String fingerprint,
                         Optional<Instant> previousUntil) {}
