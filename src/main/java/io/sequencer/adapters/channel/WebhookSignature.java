package io.sequencer.adapters.channel;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code X-Sequencer-Signature} header: {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">}, keyed
 * with the secret's text as UTF-8. Signing the timestamp with the body lets the receiver refuse replays outside its
 * tolerance window. During a rotation one {@code v1=} entry follows per secret, the current one first, and a
 * receiver accepts the request when any of them holds.
 */
public final class WebhookSignature {
    public static final String HEADER = "X-Sequencer-Signature";

    private WebhookSignature() {}

    public static String header(String secret, long unixSeconds, String body) {
        return header(List.of(secret), unixSeconds, body);
    }

    /** The header signed with each of {@code secrets}, in the order given. */
    public static String header(List<String> secrets, long unixSeconds, String body) {
        StringBuilder header = new StringBuilder("t=").append(unixSeconds);
        secrets.forEach(secret -> header.append(",v1=").append(hmacHex(secret, unixSeconds + "." + body)));
        return header.toString();
    }

    static String hmacHex(String secret, String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every JVM", e);
        }
    }
}
