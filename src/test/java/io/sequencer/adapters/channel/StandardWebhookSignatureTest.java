package io.sequencer.adapters.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The signers against known answers computed outside this code base (Python's hmac and base64 modules), so that a
 * slip shared by the signer and a Java check in a test cannot hide. Vector A is also the one the Standard Webhooks
 * libraries test themselves with.
 */
class StandardWebhookSignatureTest {
    private static final String WHSEC = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "dlv_00112233445566778899aabbccddeeff";
    private static final long AT = 1772355600L;
    // Not ASCII on purpose: the signed content is the body's UTF-8 bytes.
    private static final String BODY = "{\"text\":\"Grüße\"}";

    private static byte[] keyOf(String secret) {
        return SigningSecret.parse(secret).standardKey();
    }

    @Test
    void a_whsec_secret_signs_with_its_base64_decoded_key_as_the_spec_libraries_do() {
        assertThat(StandardWebhookSignature.header(List.of(keyOf(WHSEC)), "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L,
                "{\"test\": 2432232314}")).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        assertThat(StandardWebhookSignature.header(List.of(keyOf(WHSEC)), ID, AT, BODY))
                .isEqualTo("v1,X19pDcrpUGNnn3dZIOwwPJGlS1OeEojBf7lvSsd/Nc4=");
    }

    @Test
    void a_plain_secret_signs_with_its_own_bytes() {
        assertThat(keyOf("plain-secret")).isEqualTo("plain-secret".getBytes(StandardCharsets.US_ASCII));
        assertThat(StandardWebhookSignature.header(List.of(keyOf("plain-secret")), ID, AT, BODY))
                .isEqualTo("v1,OhD6JvNbG+yb0rG858sxm3f/8ucFA0N+dmVbeOvxqoY=");
    }

    @Test
    void during_a_rotation_both_signatures_are_sent_space_separated_the_current_first() {
        assertThat(StandardWebhookSignature.header(List.of(keyOf("plain-secret"), keyOf("old-secret")), ID, AT, BODY))
                .isEqualTo("v1,OhD6JvNbG+yb0rG858sxm3f/8ucFA0N+dmVbeOvxqoY= v1,VEmztBkEc0AN27tTB4QCTjnxoLPwVt2OlAmJlyh0NCE=");
    }

    @Test
    void x_sequencer_signature_keys_on_the_settings_text_even_for_a_whsec_secret() {
        // Unchanged by Standard Webhooks: a host that verified it before keeps verifying with the same value.
        assertThat(WebhookSignature.header(WHSEC, AT, BODY))
                .isEqualTo("t=1772355600,v1=49014c940a3e1c1cf9f39f5297341d5ad12d69210d99fbd61e2edfc6d5fa0e33");
    }

    @Test
    void x_sequencer_signature_during_a_rotation_carries_one_v1_per_secret() {
        assertThat(WebhookSignature.header(List.of("plain-secret", "old-secret"), AT, BODY)).isEqualTo("t=1772355600"
                + ",v1=6c3300980b18742221a5d29b1883c4a566fe2b6d9b5b4558b62177e6a8055de3"
                + ",v1=349bcc3aa4f1b9e3758ca6fe66d4d016beee5c80b55ff7d8d3083f08bba8686c");
    }

    @Test
    void a_message_id_holding_a_full_stop_is_refused() {
        assertThatThrownBy(() -> StandardWebhookSignature.header(List.of(keyOf("plain-secret")), "msg.1", AT, BODY))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"secret\n", "sec\r\nret", "s\u00e9cret", "tab\tbed", "nul\u0000", "whsec_not*base64",
            "whsec_MfKQ9r8G KYqrTwjUPD8ILPZIo2LaLaSw"})
    void a_secret_no_verifier_can_match_is_refused_without_quoting_it(String secret) {
        assertThatThrownBy(() -> SigningSecret.parse(secret)).isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(secret));
    }

    @Test
    void a_whsec_secret_without_a_key_is_refused() {
        assertThatThrownBy(() -> SigningSecret.parse("whsec_")).hasMessage("holds no key after whsec_");
    }

    @Test
    void a_secret_never_shows_in_its_string_form() {
        assertThat(SigningSecret.parse("plain-secret").toString()).doesNotContain("plain");
    }
}
