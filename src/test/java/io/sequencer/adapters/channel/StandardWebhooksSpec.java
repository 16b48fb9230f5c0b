package io.sequencer.adapters.channel;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import mockwebserver3.RecordedRequest;

/**
 * The check a receiver makes, written from the Standard Webhooks specification rather than taken from the signer,
 * so that tests compare the signer with an independent reading of the spec.
 */
final class StandardWebhooksSpec {
    private StandardWebhooksSpec() {}

    /** The {@code v1,<base64>} signature of {@code request} under {@code key}: HMAC-SHA256 of id.timestamp.body. */
    static String expectedSignature(byte[] key, RecordedRequest request) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        String content = request.getHeaders().get("webhook-id") + "." + request.getHeaders().get("webhook-timestamp") + "."
                + request.getBody().utf8();
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
    }

    /** The key a {@code whsec_<base64>} secret stands for. */
    static byte[] whsecKey(String whsec) {
        return Base64.getDecoder().decode(whsec.substring("whsec_".length()));
    }
}
