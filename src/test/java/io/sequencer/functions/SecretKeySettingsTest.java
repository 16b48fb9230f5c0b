package io.sequencer.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.adapters.azure.KeyVaultKeyWrap;
import io.sequencer.adapters.crypto.LocalKeyWrap;
import io.sequencer.adapters.crypto.MissingKeyWrap;
import io.sequencer.engine.secret.KeyWrap;
import io.sequencer.engine.secret.SecretSeal;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretKeySettingsTest {
    @TempDir
    Path dir;

    @Test
    void a_key_vault_key_id_selects_the_vault() {
        KeyWrap wrap = SecretKeySettings.keyWrap(Map.of(SecretKeySettings.KEY_VAULT_KEY_SETTING,
                "https://kv-test.vault.azure.net/keys/sequencer-data-keys", "WEBSITE_INSTANCE_ID", "abc")::get,
                Clock.systemUTC());
        assertThat(wrap).isInstanceOf(KeyVaultKeyWrap.class);
    }

    @Test
    void without_one_a_local_key_file_is_used_and_created_on_first_use() {
        Path file = dir.resolve("keys/master.key");
        KeyWrap wrap = SecretKeySettings.keyWrap(Map.of(SecretKeySettings.LOCAL_KEY_FILE_SETTING, file.toString())::get,
                Clock.systemUTC());
        assertThat(wrap).isInstanceOf(LocalKeyWrap.class);
        wrap.wrap(SecretSeal.newDataKey());
        assertThat(file).exists();
    }

    @Test
    void on_azure_without_a_vault_key_secrets_fail_naming_the_setting_and_no_key_file_is_made() {
        KeyWrap wrap = SecretKeySettings.keyWrap(Map.of("WEBSITE_INSTANCE_ID", "abc")::get, Clock.systemUTC());
        assertThat(wrap).isInstanceOf(MissingKeyWrap.class);
        assertThatThrownBy(() -> wrap.wrap(SecretSeal.newDataKey()))
                .hasMessageContaining(SecretKeySettings.KEY_VAULT_KEY_SETTING);
    }

    @Test
    void an_unusable_key_vault_key_id_stops_start_up() {
        assertThatThrownBy(() -> SecretKeySettings.keyWrap(Map.of(SecretKeySettings.KEY_VAULT_KEY_SETTING,
                "https://kv-test.vault.azure.net/secrets/not-a-key")::get, Clock.systemUTC()))
                .isInstanceOf(IllegalStateException.class);
    }
}
