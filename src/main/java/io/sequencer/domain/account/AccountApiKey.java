package io.sequencer.domain.account;

import io.sequencer.domain.Sha256;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An account API key as its holder sends it: {@code sqk_<prefix>_<secret>}. The prefix (12 hex digits) names the key
 * in lists and in revocation and is no secret; the secret is 32 bytes from a CSPRNG (256 bits, base64url). Only the
 * key's SHA-256 is stored: a fast hash is enough because the key is random, not chosen by a person, so no guessing
 * order or dictionary exists and 2^256 candidates stay out of reach however fast each is tried. (Slow hashes such as
 * bcrypt or Argon2 protect low-entropy passwords, and would cost every request tens of milliseconds.)
 */
public record AccountApiKey(String prefix, String secret) {
    static final String SCHEME = "sqk_";
    private static final int PREFIX_BYTES = 6;
    private static final int SECRET_BYTES = 32;
    private static final Pattern FORM = Pattern.compile("sqk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})");

    public static AccountApiKey generate(SecureRandom random) {
        byte[] prefix = new byte[PREFIX_BYTES];
        byte[] secret = new byte[SECRET_BYTES];
        random.nextBytes(prefix);
        random.nextBytes(secret);
        return new AccountApiKey(HexFormat.of().formatHex(prefix),
                Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    /** The key {@code text} spells, if it has the form of one; whether it exists is the store's business. */
    public static Optional<AccountApiKey> parse(String text) {
        if (text == null || text.length() != SCHEME.length() + 12 + 1 + 43) {
            return Optional.empty();
        }
        Matcher m = FORM.matcher(text);
        return m.matches() ? Optional.of(new AccountApiKey(m.group(1), m.group(2))) : Optional.empty();
    }

    /** Whether {@code prefix} could be a key's prefix (so it is safe as a path segment and a table key). */
    public static boolean isPrefix(String prefix) {
        return prefix != null && prefix.matches("[0-9a-f]{12}");
    }

    /** The key as the holder sends it. */
    public String text() {
        return SCHEME + prefix + "_" + secret;
    }

    /** What is stored in its place: SHA-256 of the whole key, in hex. */
    public String hash() {
        return HexFormat.of().formatHex(Sha256.of(text()));
    }

    /** Never the secret: a key that reaches a log or an exception message shows its prefix only. */
    @Override
    public String toString() {
        return SCHEME + prefix + "_…";
    }
}
