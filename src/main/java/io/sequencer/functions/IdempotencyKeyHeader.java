package io.sequencer.functions;

import io.sequencer.domain.Invalid;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code Idempotency-Key} request header (IETF draft-ietf-httpapi-idempotency-key-header): a Structured Field
 * string, {@code "8e03978e-40d5-43e8-bc93-6894a57f9324"}. A bare token without quotes is taken as it is, as most
 * clients send one. Either way the key is 1 to {@value #MAX_LENGTH} printable ASCII characters.
 */
final class IdempotencyKeyHeader {
    static final String NAME = "Idempotency-Key";
    static final int MAX_LENGTH = 255;

    private IdempotencyKeyHeader() {}

    /** The key the request carries, if any. @throws Invalid naming the header when it is not a usable key */
    static Optional<String> of(Map<String, String> headers) {
        if (headers == null) {
            return Optional.empty();
        }
        // Header names are case-insensitive, and hosts differ in the case they hand over.
        return headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(NAME)).findFirst()
                .map(h -> parse(h.getValue()));
    }

    static String parse(String raw) {
        String value = raw == null ? "" : raw.strip();
        String key = value.startsWith("\"") ? unquote(value) : value;
        if (key.isEmpty()) {
            throw new Invalid(NAME, "must not be empty");
        }
        if (key.length() > MAX_LENGTH) {
            throw new Invalid(NAME, "must be at most " + MAX_LENGTH + " characters, was " + key.length());
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                throw new Invalid(NAME, "must be printable ASCII (a UUID is a good key); character " + (i + 1)
                        + " is not");
            }
        }
        return key;
    }

    /** An sf-string: quoted, with {@code \"} and {@code \\} the only escapes (RFC 8941, section 3.3.3). */
    private static String unquote(String value) {
        StringBuilder key = new StringBuilder();
        int i = 1;
        while (i < value.length()) {
            char c = value.charAt(i++);
            if (c == '"') {
                if (i != value.length()) {
                    throw new Invalid(NAME, "must be one quoted string, with nothing after the closing quote");
                }
                return key.toString();
            }
            if (c == '\\') {
                if (i == value.length() || value.charAt(i) != '"' && value.charAt(i) != '\\') {
                    throw new Invalid(NAME, "may escape only \\\" and \\\\ inside its quotes");
                }
                c = value.charAt(i++);
            }
            key.append(c);
        }
        throw new Invalid(NAME, "has no closing quote");
    }
}
