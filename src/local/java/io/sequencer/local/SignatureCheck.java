package io.sequencer.local;

import io.sequencer.adapters.channel.WebhookSignature;
import java.util.ArrayList;
import java.util.List;

/** A receiver's check of a webhook's {@code t=..,v1=..} signature header, as a host server should make it. */
final class SignatureCheck {
    private SignatureCheck() {}

    /** True when any {@code v1} of {@code header} signs {@code body} at {@code t} with {@code secret}. */
    static boolean valid(String header, String secret, String body) {
        if (header == null) {
            return false;
        }
        String t = null;
        List<String> signatures = new ArrayList<>();
        for (String part : header.split(",")) {
            String[] kv = part.split("=", 2);
            if (kv.length == 2 && kv[0].equals("t")) {
                t = kv[1];
            } else if (kv.length == 2 && kv[0].equals("v1")) {
                signatures.add(kv[1]);
            }
        }
        if (t == null) {
            return false;
        }
        long signedAt;
        try {
            signedAt = Long.parseLong(t);
        } catch (NumberFormatException notATime) {
            return false;
        }
        String expected = WebhookSignature.header(secret, signedAt, body);
        String prefix = "t=" + t + ",v1=";
        return signatures.stream().anyMatch(v1 -> expected.equals(prefix + v1));
    }
}
