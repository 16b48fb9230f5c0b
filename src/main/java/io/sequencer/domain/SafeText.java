package io.sequencer.domain;

import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * The one way error text is made fit to store, log or show: one line, cut short, with secrets blanked out.
 * Text from outside (a destination's answer, an exception's message) may carry anything, including a secret
 * that was sent with the request.
 */
public final class SafeText {
    static final String REDACTED = "[redacted]";
    /**
     * Credentials as they appear in storage connection strings, SAS URLs and authorization headers, for text
     * whose secrets are not known by value (an exception's message).
     */
    private static final Pattern CREDENTIALS = Pattern.compile(
            "(?i)((?:AccountKey|SharedAccessSignature|sig|code|access_token|api[-_]?key)=)[^;&\\s\"']+"
                    + "|(Bearer\\s+)[^\\s\"',;]+");

    private SafeText() {}

    /** {@code text} cut to {@code max} characters on one line, with every secret blanked out. */
    public static String oneLine(String text, int max, String... secrets) {
        int end = Math.min(text.length(), max);
        // Never cut through a secret: the cut-off part would escape redaction and leave the secret's start behind.
        boolean moved = true;
        while (moved) {
            moved = false;
            for (String secret : secrets) {
                if (secret != null && !secret.isEmpty() && end > 0) {
                    int at = text.lastIndexOf(secret, end - 1);
                    if (at >= 0 && at + secret.length() > end) {
                        end = at + secret.length();
                        moved = true;
                    }
                }
            }
        }
        return redact(text.substring(0, end), secrets).replaceAll("\\p{Cntrl}", " ").strip();
    }

    /**
     * {@code text} with every occurrence of each non-empty secret replaced. Occurrences are found in the original
     * text and overlapping or touching ones are blanked as one: replacing one secret after another would break up
     * a second secret that overlaps the first and leave its remainder showing.
     */
    public static String redact(String text, String... secrets) {
        boolean[] secret = new boolean[text.length()];
        for (String s : secrets) {
            if (s != null && !s.isEmpty()) {
                for (int at = text.indexOf(s); at >= 0; at = text.indexOf(s, at + 1)) {
                    Arrays.fill(secret, at, at + s.length(), true);
                }
            }
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            if (!secret[i]) {
                out.append(text.charAt(i));
            } else if (i == 0 || !secret[i - 1]) {
                out.append(REDACTED);
            }
        }
        return out.toString();
    }

    /**
     * An exception as one line of at most {@code max} characters: its class's simple name and its message,
     * with anything shaped like a credential blanked out (redacted before the cut, so no credential is left
     * half shown).
     */
    public static String summaryOf(Throwable failure, int max) {
        String message = failure.getMessage();
        String text = failure.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
        String blanked = CREDENTIALS.matcher(text).replaceAll(match ->
                java.util.regex.Matcher.quoteReplacement((match.group(1) != null ? match.group(1) : match.group(2)) + REDACTED));
        return oneLine(blanked, max);
    }
}
