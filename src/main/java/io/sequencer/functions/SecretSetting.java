package io.sequencer.functions;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * A key the service itself holds in an app setting (admin key, report link key). Missing, too short, or an
 * unresolved Key Vault reference all mean "not configured": the host leaves an unresolved reference's text as the
 * value, and a key anyone can read in the Bicep files must never be accepted.
 */
final class SecretSetting {
    /** Shorter keys are refused: at least 256 bits when they are random characters. */
    static final int MIN_CHARS = 32;
    private static final String UNRESOLVED_REFERENCE = "@Microsoft.KeyVault(";
    private static final Logger LOG = Logger.getLogger(SecretSetting.class.getName());

    private SecretSetting() {}

    /** The setting's bytes (UTF-8), or empty, logged as {@code consequence}, when it is not usable. */
    static Optional<byte[]> read(Function<String, String> settings, String name, String consequence) {
        String value = settings.apply(name);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        value = value.trim();
        if (value.startsWith(UNRESOLVED_REFERENCE)) {
            LOG.severe(name + " is a Key Vault reference the host could not resolve: " + consequence);
            return Optional.empty();
        }
        if (value.length() < MIN_CHARS) {
            LOG.severe(name + " is shorter than " + MIN_CHARS + " characters: " + consequence);
            return Optional.empty();
        }
        return Optional.of(value.getBytes(StandardCharsets.UTF_8));
    }
}
