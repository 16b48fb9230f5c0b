package io.sequencer.adapters.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.engine.secret.KeyWrap;
import io.sequencer.engine.secret.SecretSeal;
import io.sequencer.engine.secret.SecretUnreadable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKeyWrapTest {
    @TempDir
    Path dir;

    @Test
    void the_key_file_is_created_on_first_use_readable_by_its_owner_only() throws Exception {
        Path file = dir.resolve("keys/master.key");
        LocalKeyWrap wrap = new LocalKeyWrap(file);
        assertThat(file).doesNotExist();
        wrap.wrap(SecretSeal.newDataKey());
        assertThat(file).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file).strip()).hasSize(44);
    }

    @Test
    void a_data_key_unwraps_after_a_restart_with_the_same_file() {
        Path file = dir.resolve("master.key");
        byte[] dataKey = SecretSeal.newDataKey();
        KeyWrap.WrappedKey wrapped = new LocalKeyWrap(file).wrap(dataKey);
        assertThat(wrapped.wrapped()).isNotEqualTo(dataKey);
        assertThat(new LocalKeyWrap(file).unwrap(wrapped)).isEqualTo(dataKey);
    }

    @Test
    void a_changed_wrapped_key_or_another_file_fails_cleanly() {
        KeyWrap.WrappedKey wrapped = new LocalKeyWrap(dir.resolve("a.key")).wrap(SecretSeal.newDataKey());
        byte[] changed = wrapped.wrapped();
        changed[3] ^= 1;
        assertThatThrownBy(() -> new LocalKeyWrap(dir.resolve("a.key")).unwrap(new KeyWrap.WrappedKey(wrapped.keyId(), changed)))
                .isInstanceOf(SecretUnreadable.class);
        assertThatThrownBy(() -> new LocalKeyWrap(dir.resolve("b.key")).unwrap(wrapped))
                .isInstanceOf(SecretUnreadable.class).hasMessageContaining(wrapped.keyId());
    }

    @Test
    void after_a_rotation_the_previous_key_still_unwraps_and_the_current_one_wraps() throws Exception {
        Path file = dir.resolve("master.key");
        byte[] dataKey = SecretSeal.newDataKey();
        KeyWrap.WrappedKey old = new LocalKeyWrap(file).wrap(dataKey);
        Files.move(file, dir.resolve("master.key" + LocalKeyWrap.PREVIOUS_SUFFIX));
        LocalKeyWrap rotated = new LocalKeyWrap(file);
        assertThat(rotated.currentKeyId()).isNotEqualTo(old.keyId());
        assertThat(rotated.unwrap(old)).isEqualTo(dataKey);
        assertThat(rotated.wrap(dataKey).keyId()).isEqualTo(rotated.currentKeyId());
    }
}
