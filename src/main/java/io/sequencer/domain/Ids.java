package io.sequencer.domain;

import java.util.Optional;

/**
 * The one rule for every identifier (account, sequence, step, subscriber): 1 to 128 characters of
 * {@code [A-Za-z0-9_.-]}. Such ids are safe as Table keys, URL path segments and header values.
 */
public final class Ids {
    public static final int MAX_LENGTH = 128;

    private Ids() {}

    /** Why {@code value} is not a valid id, or empty when it is. */
    public static Optional<String> problemWith(String value) {
        if (value == null || value.isEmpty()) {
            return Optional.of("is required");
        }
        if (value.length() > MAX_LENGTH) {
            return Optional.of("must be at most " + MAX_LENGTH + " characters");
        }
        if (!allowed(value)) {
            return Optional.of("may contain only letters, digits, '_', '.' and '-'");
        }
        if (value.equals(".") || value.equals("..")) {
            return Optional.of("must not be '.' or '..', which URLs treat as path navigation");
        }
        return Optional.empty();
    }

    /**
     * Whether every character is one of {@code [A-Za-z0-9_.-]}: a loop rather than a pattern, since every key of
     * every tick and enrollment is checked here.
     */
    private static boolean allowed(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.'
                    || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** Returns {@code value} when valid, or throws {@link Invalid} naming {@code field}. */
    public static String require(String field, String value) {
        problemWith(value).ifPresent(reason -> {
            throw new Invalid(field, reason);
        });
        return value;
    }
}
