package io.sequencer.adapters.channel;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.stream.Stream;

/**
 * A webhook signing secret as its app setting holds it, and the HMAC key each signature scheme takes from it.
 * Standard Webhooks: a {@code whsec_<base64>} secret is the base64-decoded bytes (as the specification's libraries
 * read it), any other secret its bytes as they are. {@code X-Sequencer-Signature} keys on the setting's text, whatever
 * its form, exactly as it did before Standard Webhooks was added, so a host that verifies it keeps verifying.
 */
final class SigningSecret {
    static final String STANDARD_PREFIX = "whsec_";

    private final String text;
    private final byte[] standardKey;

    private SigningSecret(String text, byte[] standardKey) {
        this.text = text;
        this.standardKey = standardKey;
    }

    /**
     * The secret a setting holds. A plain secret must be printable ASCII: a line break or control character is a
     * pasting accident, and a non-ASCII character turns into different bytes in different verifiers (the
     * JavaScript library's raw form takes UTF-16 code units), so a host could never check it.
     * @throws IllegalArgumentException saying what is wrong, never quoting the value
     */
    static SigningSecret parse(String text) {
        if (text.startsWith(STANDARD_PREFIX)) {
            byte[] key;
            try {
                key = Base64.getDecoder().decode(text.substring(STANDARD_PREFIX.length()));
            } catch (IllegalArgumentException notBase64) {
                throw new IllegalArgumentException("starts with " + STANDARD_PREFIX + " but the rest is not standard base64");
            }
            if (key.length == 0) {
                throw new IllegalArgumentException("holds no key after " + STANDARD_PREFIX);
            }
            return new SigningSecret(text, key);
        }
        if (!text.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("holds a line break, a control or a non-ASCII character");
        }
        return new SigningSecret(text, text.getBytes(StandardCharsets.US_ASCII));
    }

    /** The setting's value: the {@code X-Sequencer-Signature} key (as UTF-8). */
    String text() {
        return text;
    }

    /** Every form of the secret a host might echo, for error details to blank out. */
    Stream<String> shownForms() {
        return text.startsWith(STANDARD_PREFIX) ? Stream.of(text, text.substring(STANDARD_PREFIX.length())) : Stream.of(text);
    }

    /** The Standard Webhooks HMAC key. */
    byte[] standardKey() {
        return standardKey.clone();
    }

    @Override
    public String toString() {
        return "SigningSecret[redacted]";
    }
}
