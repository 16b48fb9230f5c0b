package io.sequencer.domain.report;

import io.sequencer.domain.Ids;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues and opens the tokens of report links: a compact, URL-safe value that names one report of one account and
 * when the link stops working, signed with HMAC-SHA256 under a key only the service holds. A token grants reading
 * that one report and nothing else. Replacing the key revokes every link at once; a previous key may still be
 * accepted for a while so that a planned rotation does not break the links handed out just before it.
 *
 * <p>Layout before base64url (no padding): version (1 byte), kind (1), expiry in epoch seconds (8), account length
 * (1), account, report id, then the 32-byte MAC over a purpose label and everything before it. The MAC is checked
 * (in constant time) before anything in the payload is believed, and only the canonical encoding is accepted, so
 * no two spellings open the same link.
 */
public final class ReportLinkTokens {
    /** Links live 7 days unless asked otherwise, and never longer than 90. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofDays(7);
    public static final Duration MAX_LIFETIME = Duration.ofDays(90);
    /** Shorter keys are refused: an HMAC key should carry at least the 256 bits of its hash. */
    static final int MIN_KEY_BYTES = 32;

    private static final byte VERSION = 1;
    private static final int MAC_BYTES = 32;
    private static final int HEADER_BYTES = 1 + 1 + 8 + 1;
    /** The largest token: both ids at their longest. Anything longer is refused before decoding. */
    private static final int MAX_TOKEN_CHARS = (HEADER_BYTES + 2 * Ids.MAX_LENGTH + MAC_BYTES + 2) / 3 * 4;
    private static final byte[] PURPOSE = "sequencer report link\0".getBytes(StandardCharsets.US_ASCII);
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec key;
    private final Optional<SecretKeySpec> previousKey;

    /** @param previousKey a key being retired: tokens it signed still open, new tokens use {@code key} */
    public ReportLinkTokens(byte[] key, Optional<byte[]> previousKey) {
        this.key = spec(key);
        this.previousKey = previousKey.map(ReportLinkTokens::spec);
    }

    private static SecretKeySpec spec(byte[] key) {
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("a report link key needs at least " + MIN_KEY_BYTES + " bytes");
        }
        return new SecretKeySpec(key.clone(), "HmacSHA256");
    }

    /** The token for reading {@code report} until {@code expiresAt}. */
    public String issue(ReportRef report, Instant expiresAt) {
        byte[] account = report.account().getBytes(StandardCharsets.US_ASCII);
        byte[] id = report.reportId().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer payload = ByteBuffer.allocate(HEADER_BYTES + account.length + id.length)
                .put(VERSION).put((byte) report.kind().code()).putLong(expiresAt.getEpochSecond())
                .put((byte) account.length).put(account).put(id);
        ByteArrayOutputStream token = new ByteArrayOutputStream();
        token.writeBytes(payload.array());
        token.writeBytes(mac(key, payload.array(), payload.array().length));
        return ENCODER.encodeToString(token.toByteArray());
    }

    /**
     * The report {@code token} opens at {@code now}; empty for anything else (malformed, tampered, truncated, signed
     * with an unknown key, expired), without saying which, so a caller learns nothing by trying.
     */
    public Optional<ReportRef> open(String token, Instant now) {
        if (token == null || token.length() > MAX_TOKEN_CHARS || !urlSafe(token)) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (bytes.length < HEADER_BYTES + 2 + MAC_BYTES || !ENCODER.encodeToString(bytes).equals(token)) {
            return Optional.empty();
        }
        int signed = bytes.length - MAC_BYTES;
        byte[] given = java.util.Arrays.copyOfRange(bytes, signed, bytes.length);
        boolean current = MessageDigest.isEqual(given, mac(key, bytes, signed));
        boolean previous = previousKey.map(k -> MessageDigest.isEqual(given, mac(k, bytes, signed))).orElse(false);
        if (!current && !previous) {
            return Optional.empty();
        }
        return payload(ByteBuffer.wrap(bytes, 0, signed), now);
    }

    private static Optional<ReportRef> payload(ByteBuffer payload, Instant now) {
        if (payload.get() != VERSION) {
            return Optional.empty();
        }
        Optional<ReportRef.Kind> kind = ReportRef.Kind.ofCode(payload.get());
        long expiresAt = payload.getLong();
        int accountLength = payload.get() & 0xff;
        if (kind.isEmpty() || now.getEpochSecond() >= expiresAt || accountLength >= payload.remaining()) {
            return Optional.empty();
        }
        byte[] account = new byte[accountLength];
        payload.get(account);
        byte[] id = new byte[payload.remaining()];
        payload.get(id);
        String accountId = new String(account, StandardCharsets.US_ASCII);
        String reportId = new String(id, StandardCharsets.US_ASCII);
        if (Ids.problemWith(accountId).isPresent() || Ids.problemWith(reportId).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(new ReportRef(kind.get(), accountId, reportId));
    }

    private static byte[] mac(SecretKeySpec key, byte[] bytes, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(PURPOSE);
            mac.update(bytes, 0, length);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every JVM", e);
        }
    }

    private static boolean urlSafe(String token) {
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
