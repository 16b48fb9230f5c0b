package io.sequencer.domain;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one rule for every identifier (account, sequence, step, subscriber): 1 to 128 characters of
 * {@code [A-Za-z0-9_.-]}. Such ids are safe as Table keys, URL path segments and header values.
 */
public final class Ids {
    public static final int MAX_LENGTH = 128;
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9_.-]+");

    private Ids() {}

    /** Why {@code value} is not a valid id, or empty when it is. */
    public static Optional<String> problemWith(String value) {
        if (value == null || value.isEmpty()) {
            return Optional.of("is required");
        }
        if (value.length() > MAX_LENGTH) {
            return Optional.of("must be at most " + MAX_LENGTH + " characters");
        }
        if (!ALLOWED.matcher(value).matches()) {
            return Optional.of("may contain only letters, digits, '_', '.' and '-'");
        }
        if (value.equals(".") || value.equals("..")) {
            return Optional.of("must not be '.' or '..', which URLs treat as path navigation");
        }
        return Optional.empty();
    }

    /** Returns {@code value} when valid, or throws {@link Invalid} naming {@code field}. */
    public static String require(String field, String value) {
        problemWith(value).ifPresent(reason -> {
            throw new Invalid(field, reason);
        });
        return value;
    }
}
