package io.sequencer.adapters.channel;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Standard Webhooks headers (standardwebhooks.com, spec 1.0.0, symmetric scheme): {@code webhook-id},
 * {@code webhook-timestamp} (unix seconds) and {@code webhook-signature}, a space-separated list of
 * {@code v1,<base64 of HMAC-SHA256 over "<id>.<timestamp>.<body>">}, one per secret, so that a host verifies with
 * the Standard Webhooks library of its language, also while a secret is rotated.
 */
final class StandardWebhookSignature {
    public static final String ID_HEADER = "webhook-id";
    public static final String TIMESTAMP_HEADER = "webhook-timestamp";
    public static final String SIGNATURE_HEADER = "webhook-signature";

    private StandardWebhookSignature() {}

    /** The {@code webhook-signature} value: one {@code v1,} signature per key, in the order given. */
    static String header(List<byte[]> keys, String id, long unixSeconds, String body) {
        // The spec's separator: an id holding '.' would let one signed content be read as another.
        if (id.indexOf('.') >= 0) {
            throw new IllegalArgumentException("a webhook id must not contain '.'");
        }
        String content = id + "." + unixSeconds + "." + body;
        return keys.stream().map(key -> "v1," + hmacBase64(key, content)).collect(Collectors.joining(" "));
    }

    private static String hmacBase64(byte[] key, String content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every JVM", e);
        }
    }
}
