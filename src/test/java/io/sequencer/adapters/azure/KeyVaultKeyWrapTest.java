package io.sequencer.adapters.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.security.keyvault.keys.cryptography.CryptographyClientBuilder;
import com.azure.security.keyvault.keys.cryptography.models.KeyWrapAlgorithm;
import com.azure.security.keyvault.keys.models.JsonWebKey;
import com.azure.security.keyvault.keys.models.KeyOperation;
import io.sequencer.engine.secret.KeyWrap;
import io.sequencer.engine.secret.SecretSeal;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Key Vault wrap without a vault: the SDK's client performs RSA-OAEP-256 locally on a JSON web key, the same
 * calls the adapter makes to a vault, with RSA-OAEP (the SDK does RSA-OAEP-256 only in the vault). What needs a
 * vault (the managed identity, RSA-OAEP-256, the newest key version) is not exercised here.
 */
class KeyVaultKeyWrapTest {
    private static final String KEY_ID = "https://kv-test.vault.azure.net/keys/data-keys/0123456789abcdef";

    private static KeyVaultKeyWrap localWrap() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        JsonWebKey key = JsonWebKey.fromRsa(generator.generateKeyPair(),
                List.of(KeyOperation.WRAP_KEY, KeyOperation.UNWRAP_KEY)).setId(KEY_ID);
        var client = new CryptographyClientBuilder().jsonWebKey(key).buildClient();
        return new KeyVaultKeyWrap(KEY_ID, id -> client, Clock.systemUTC(), KeyWrapAlgorithm.RSA_OAEP);
    }

    @Test
    void a_data_key_round_trips_and_is_stored_with_the_versioned_key_id() throws Exception {
        KeyVaultKeyWrap wrap = localWrap();
        byte[] dataKey = SecretSeal.newDataKey();
        KeyWrap.WrappedKey wrapped = wrap.wrap(dataKey);
        assertThat(wrapped.keyId()).isEqualTo(KEY_ID).isEqualTo(wrap.currentKeyId());
        assertThat(wrapped.wrapped()).hasSize(256).isNotEqualTo(dataKey);
        assertThat(wrap.unwrap(wrapped)).isEqualTo(dataKey);
        assertThat(KeyVaultKeyWrap.ALGORITHM).isEqualTo(KeyWrapAlgorithm.RSA_OAEP_256);
    }

    @Test
    void only_a_key_vault_key_id_is_accepted() {
        assertThat(KeyVaultKeyWrap.requireKeyId("https://kv.vault.azure.net/keys/data-keys")).endsWith("/keys/data-keys");
        for (String bad : List.of("", "http://kv.vault.azure.net/keys/k", "https://kv.vault.azure.net/secrets/k",
                "https://kv.vault.azure.net/keys", "not a url")) {
            assertThatThrownBy(() -> KeyVaultKeyWrap.requireKeyId(bad)).as(bad).isInstanceOf(IllegalStateException.class);
        }
    }
}
