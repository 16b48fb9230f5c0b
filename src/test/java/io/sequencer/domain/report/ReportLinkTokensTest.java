package io.sequencer.domain.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.domain.Ids;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ReportLinkTokensTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant LATER = NOW.plus(Duration.ofDays(7));
    private static final byte[] KEY = "k".repeat(ReportLinkTokens.MIN_KEY_BYTES).getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OTHER_KEY = "o".repeat(ReportLinkTokens.MIN_KEY_BYTES).getBytes(StandardCharsets.US_ASCII);
    private static final ReportRef PROMO = new ReportRef(ReportRef.Kind.SEQUENCE, "acme", "promo");
    private final ReportLinkTokens tokens = new ReportLinkTokens(KEY, Optional.empty());

    @Test
    void a_token_opens_the_report_it_was_issued_for_until_it_expires() {
        String token = tokens.issue(PROMO, LATER);

        assertThat(token).matches("[A-Za-z0-9_-]+").hasSizeLessThan(100);
        assertThat(tokens.open(token, NOW)).contains(PROMO);
        assertThat(tokens.open(token, LATER.minusSeconds(1))).contains(PROMO);
        assertThat(tokens.open(token, LATER)).isEmpty();
    }

    @Test
    void the_kind_and_both_ids_are_part_of_what_is_signed() {
        ReportRef broadcast = new ReportRef(ReportRef.Kind.BROADCAST, "acme", "promo");

        assertThat(tokens.open(tokens.issue(broadcast, LATER), NOW)).contains(broadcast);
        assertThat(tokens.issue(broadcast, LATER)).isNotEqualTo(tokens.issue(PROMO, LATER));
        assertThat(tokens.issue(new ReportRef(ReportRef.Kind.SEQUENCE, "acm", "epromo"), LATER))
                .isNotEqualTo(tokens.issue(PROMO, LATER));
    }

    @Test
    void a_token_signed_with_another_key_is_refused() {
        String forged = new ReportLinkTokens(OTHER_KEY, Optional.empty()).issue(PROMO, LATER);

        assertThat(tokens.open(forged, NOW)).isEmpty();
    }

    @Test
    void during_a_rotation_the_previous_key_still_opens_and_new_tokens_use_the_new_key() {
        String old = tokens.issue(PROMO, LATER);
        ReportLinkTokens rotated = new ReportLinkTokens(OTHER_KEY, Optional.of(KEY));
        ReportLinkTokens afterRotation = new ReportLinkTokens(OTHER_KEY, Optional.empty());

        assertThat(rotated.open(old, NOW)).contains(PROMO);
        assertThat(tokens.open(rotated.issue(PROMO, LATER), NOW)).isEmpty();
        assertThat(afterRotation.open(old, NOW)).as("once the previous key is dropped").isEmpty();
    }

    @Test
    void during_a_rotation_a_token_of_any_third_key_is_still_refused() {
        ReportLinkTokens rotated = new ReportLinkTokens(OTHER_KEY, Optional.of(KEY));
        byte[] third = "t".repeat(ReportLinkTokens.MIN_KEY_BYTES).getBytes(StandardCharsets.US_ASCII);

        assertThat(rotated.open(new ReportLinkTokens(third, Optional.empty()).issue(PROMO, LATER), NOW)).isEmpty();
    }

    @Test
    void tokens_follow_the_documented_layout_and_a_mac_without_the_purpose_label_is_refused() throws Exception {
        byte[] payload = ByteBuffer.allocate(1 + 1 + 8 + 1 + 4 + 5).put((byte) 1).put((byte) 's')
                .putLong(LATER.getEpochSecond()).put((byte) 4).put("acme".getBytes(StandardCharsets.US_ASCII))
                .put("promo".getBytes(StandardCharsets.US_ASCII)).array();
        byte[] labelled = hmac(KEY, "sequencer report link\0".getBytes(StandardCharsets.US_ASCII), payload);
        byte[] unlabelled = hmac(KEY, new byte[0], payload);

        assertThat(tokens.issue(PROMO, LATER)).isEqualTo(base64url(payload, labelled));
        assertThat(tokens.open(base64url(payload, unlabelled), NOW))
                .as("a MAC the same key made for another purpose").isEmpty();
    }

    private static byte[] hmac(byte[] key, byte[] label, byte[] payload) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        mac.update(label);
        return mac.doFinal(payload);
    }

    private static String base64url(byte[] payload, byte[] mac) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                ByteBuffer.allocate(payload.length + mac.length).put(payload).put(mac).array());
    }

    @Test
    void malformed_values_are_refused_without_an_exception() {
        String token = tokens.issue(PROMO, LATER);
        for (String bad : new String[] {null, "", "a", "====", token + "=", token + ".", " " + token, token + "A",
                token.substring(0, token.length() - 1), "x".repeat(5000), "%41" + token}) {
            assertThat(tokens.open(bad, NOW)).as(String.valueOf(bad)).isEmpty();
        }
    }

    @Test
    void a_short_key_is_refused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ReportLinkTokens(new byte[16], Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Property(tries = 2000)
    void any_single_character_changed_is_refused(@ForAll("refs") ReportRef report,
                                                  @ForAll @IntRange(min = 0, max = 10_000) int at,
                                                  @ForAll char replacement) {
        String token = tokens.issue(report, LATER);
        int index = at % token.length();
        if (token.charAt(index) == replacement) {
            return;
        }
        String changed = token.substring(0, index) + replacement + token.substring(index + 1);

        assertThat(tokens.open(changed, NOW)).isEmpty();
    }

    @Property(tries = 500)
    void every_truncation_is_refused(@ForAll("refs") ReportRef report, @ForAll @IntRange(min = 1, max = 400) int cut) {
        String token = tokens.issue(report, LATER);
        String truncated = token.substring(0, Math.max(0, token.length() - cut));

        assertThat(tokens.open(truncated, NOW)).isEmpty();
    }

    @Property(tries = 500)
    void any_valid_report_round_trips(@ForAll("refs") ReportRef report) {
        assertThat(tokens.open(tokens.issue(report, LATER), NOW)).contains(report);
    }

    @Provide
    Arbitrary<ReportRef> refs() {
        Arbitrary<String> ids = Arbitraries.strings().withChars("abcXYZ019_.-").ofMinLength(1).ofMaxLength(Ids.MAX_LENGTH)
                .filter(id -> Ids.problemWith(id).isEmpty());
        return Combinators.combine(Arbitraries.of(ReportRef.Kind.class), ids, ids).as(ReportRef::new);
    }
}
