package io.sequencer.domain.subscriber;

import io.sequencer.domain.Invalid;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * Where an entry stands in a subscriber's timeline. The order is newest first: by time, then, among entries of
 * one instant, by {@code tieBreak} ascending. No two entries share a position, so a page resumes strictly after
 * the last entry it showed and never shows one twice, however many entries share a timestamp.
 *
 * <p>Tie-breaks are ASCII, so every store orders them as {@link String#compareTo} does.
 */
public record TimelinePosition(Instant at, String tieBreak) implements Comparable<TimelinePosition> {
    /** What a tie-break may be: a kind letter, a dot, then id characters (see {@link TimelineEntry}). */
    private static final Pattern TIE_BREAK = Pattern.compile("[a-z]\\.[A-Za-z0-9_.-]{1,160}");
    private static final String TOKEN_VERSION = "1";

    public TimelinePosition {
        if (at == null || tieBreak == null || !TIE_BREAK.matcher(tieBreak).matches()) {
            throw new IllegalArgumentException("a position has a time and a tie-break such as e.<hex>, not " + tieBreak);
        }
    }

    /** Negative when this entry comes first (is newer, or as new with the smaller tie-break). */
    @Override
    public int compareTo(TimelinePosition other) {
        int byTime = other.at.compareTo(at);
        return byTime != 0 ? byTime : tieBreak.compareTo(other.tieBreak);
    }

    /** True when this entry is listed after {@code other}: older, or as old with the larger tie-break. */
    public boolean comesAfter(TimelinePosition other) {
        return compareTo(other) > 0;
    }

    /**
     * The opaque continuation token that resumes after this position. It carries a checksum, so a token cut
     * short or altered in transit is refused rather than read as another position. (A position reveals nothing
     * and grants nothing: it only says where a page starts, in a timeline the caller may read anyway.)
     */
    public String token() {
        String plain = TOKEN_VERSION + "\n" + at + "\n" + tieBreak;
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((plain + "\n" + checksum(plain)).getBytes(StandardCharsets.UTF_8));
    }

    /** The position a token names. @throws Invalid naming {@code continuation} when it is not one {@link #token} made */
    public static TimelinePosition fromToken(String token) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            int sum = text.lastIndexOf('\n');
            String plain = sum < 0 ? "" : text.substring(0, sum);
            String[] parts = plain.split("\n", -1);
            if (parts.length != 3 || !parts[0].equals(TOKEN_VERSION) || !text.substring(sum + 1).equals(checksum(plain))) {
                throw notIssued();
            }
            return new TimelinePosition(Instant.parse(parts[1]), parts[2]);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw notIssued();
        }
    }

    private static String checksum(String plain) {
        CRC32 crc = new CRC32();
        crc.update(plain.getBytes(StandardCharsets.UTF_8));
        return Long.toHexString(crc.getValue());
    }

    private static Invalid notIssued() {
        return new Invalid("continuation", "is not a token from a previous page of this timeline");
    }
}
