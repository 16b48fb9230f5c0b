package io.sequencer.engine.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.domain.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SecretSealTest {
    private final SecretSeal seal = new SecretSeal(SecretSeal.newDataKey());

    @Test
    void a_sealed_value_opens_for_its_own_account_name_and_version() {
        SecretSeal.Sealed sealed = seal.seal("acme", "hook", 3, "s3cret-välue");
        assertThat(seal.open("acme", "hook", sealed)).isEqualTo("s3cret-välue");
        assertThat(new String(sealed.ciphertext(), StandardCharsets.ISO_8859_1)).doesNotContain("s3cret");
    }

    @Test
    void every_seal_takes_a_fresh_nonce() {
        assertThat(seal.seal("acme", "hook", 1, "same").nonce()).isNotEqualTo(seal.seal("acme", "hook", 1, "same").nonce());
    }

    @Test
    void a_ciphertext_moved_to_another_account_name_or_version_does_not_open() {
        SecretSeal.Sealed sealed = seal.seal("acme", "hook", 1, "value");
        assertThatThrownBy(() -> seal.open("intruder", "hook", sealed)).isInstanceOf(SecretUnreadable.class);
        assertThatThrownBy(() -> seal.open("acme", "other", sealed)).isInstanceOf(SecretUnreadable.class);
        SecretSeal.Sealed relabelled = new SecretSeal.Sealed(2, sealed.nonce(), sealed.ciphertext());
        assertThatThrownBy(() -> seal.open("acme", "hook", relabelled)).isInstanceOf(SecretUnreadable.class);
    }

    @Test
    void a_changed_ciphertext_fails_without_quoting_anything() {
        SecretSeal.Sealed sealed = seal.seal("acme", "hook", 1, "value");
        byte[] changed = sealed.ciphertext();
        changed[0] ^= 1;
        assertThatThrownBy(() -> seal.open("acme", "hook", new SecretSeal.Sealed(1, sealed.nonce(), changed)))
                .isInstanceOf(SecretUnreadable.class).hasMessageNotContaining("value");
    }

    @Test
    void another_data_key_cannot_open_it() {
        SecretSeal.Sealed sealed = seal.seal("acme", "hook", 1, "value");
        assertThatThrownBy(() -> new SecretSeal(SecretSeal.newDataKey()).open("acme", "hook", sealed))
                .isInstanceOf(SecretUnreadable.class);
    }

    @Test
    void the_fingerprint_is_short_stable_and_keyed() {
        String fingerprint = seal.fingerprint("acme", "hook", "value");
        assertThat(fingerprint).matches("[0-9a-f]{8}").isEqualTo(seal.fingerprint("acme", "hook", "value"));
        assertThat(seal.fingerprint("acme", "hook", "other")).isNotEqualTo(fingerprint);
        assertThat(new SecretSeal(SecretSeal.newDataKey()).fingerprint("acme", "hook", "value"))
                .as("no key, no way to test a guess").isNotEqualTo(fingerprint);
        assertThat(Sha256.hex("value", 8)).isNotEqualTo(fingerprint);
    }

    @Test
    void sealed_values_and_wrapped_keys_compare_by_content_and_print_no_bytes() {
        SecretSeal.Sealed sealed = seal.seal("acme", "hook", 3, "value");
        SecretSeal.Sealed same = new SecretSeal.Sealed(3, sealed.nonce(), sealed.ciphertext());
        assertThat(same).isEqualTo(sealed).hasSameHashCodeAs(sealed);
        assertThat(new SecretSeal.Sealed(4, sealed.nonce(), sealed.ciphertext())).isNotEqualTo(sealed);
        assertThat(seal.seal("acme", "hook", 3, "value")).as("a fresh nonce").isNotEqualTo(sealed);
        assertThat(sealed).hasToString("Sealed[v3]");

        KeyWrap.WrappedKey wrapped = new KeyWrap.WrappedKey("vault/key/1", new byte[] {1, 2, 3});
        KeyWrap.WrappedKey copy = new KeyWrap.WrappedKey("vault/key/1", new byte[] {1, 2, 3});
        assertThat(copy).isEqualTo(wrapped).hasSameHashCodeAs(wrapped);
        assertThat(new KeyWrap.WrappedKey("vault/key/2", new byte[] {1, 2, 3})).isNotEqualTo(wrapped)
                .doesNotHaveSameHashCodeAs(wrapped);
        assertThat(new KeyWrap.WrappedKey("vault/key/1", new byte[] {1, 2, 4})).isNotEqualTo(wrapped);
        assertThat(wrapped).hasToString("WrappedKey[vault/key/1]");

        assertThat(new SecretValues("s3cret", Optional.of("old-s3cret")).toString())
                .doesNotContain("s3cret").isEqualTo("SecretValues[redacted]");
    }

    @Test
    void an_empty_value_seals_and_opens_like_any_other() {
        SecretSeal.Sealed sealed = seal.seal("acme", "hook", 1, "");
        assertThat(seal.open("acme", "hook", sealed)).isEmpty();
    }

    @Test
    void the_same_value_in_two_secrets_has_two_fingerprints() {
        assertThat(seal.fingerprint("acme", "hook", "value")).isNotEqualTo(seal.fingerprint("acme", "page", "value"));
        assertThat(seal.fingerprint("acme", "hook", "value")).isNotEqualTo(seal.fingerprint("other", "hook", "value"));
        assertThat(seal.fingerprint("acme", "hook", "value")).isEqualTo(seal.fingerprint("acme", "hook", "value"));
    }
}
