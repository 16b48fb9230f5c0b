package io.sequencer.engine.secret;

import java.util.Optional;

/** A secret's value, and while a rotation keeps it, the previous one. Shown by {@link #toString} as redacted. */
public record SecretValues(String current, Optional<String> previous) {
    @Override
    public String toString() {
        return "SecretValues[redacted]";
    }
}
