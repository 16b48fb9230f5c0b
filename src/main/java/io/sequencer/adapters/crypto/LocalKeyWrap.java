package io.sequencer.adapters.crypto;

import io.sequencer.engine.secret.KeyWrap;
import io.sequencer.engine.secret.SecretUnreadable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A key-encryption key in a local file, for a developer's host: 256 random bits (base64), created with mode 600 on
 * first use, wrapping data keys with AES Key Wrap (RFC 3394). While a rotation is under way the key it replaced
 * sits beside it as {@code <file>.previous}: data keys wrapped by it still open, and are wrapped again under the
 * current key when next read.
 */
public final class LocalKeyWrap implements KeyWrap {
    public static final String PREVIOUS_SUFFIX = ".previous";
    private static final int KEY_BYTES = 32;

    private final Path file;
    private volatile Map<String, SecretKeySpec> keys;
    private volatile String currentId;

    public LocalKeyWrap(Path file) {
        this.file = file;
    }

    @Override
    public String currentKeyId() {
        load();
        return currentId;
    }

    @Override
    public WrappedKey wrap(byte[] dataKey) {
        load();
        try {
            Cipher cipher = Cipher.getInstance("AESWrap");
            cipher.init(Cipher.WRAP_MODE, keys.get(currentId));
            return new WrappedKey(currentId, cipher.wrap(new SecretKeySpec(dataKey, "AES")));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES key wrap is not available", e);
        }
    }

    @Override
    public byte[] unwrap(WrappedKey wrapped) {
        load();
        SecretKeySpec key = keys.get(wrapped.keyId());
        if (key == null) {
            throw new SecretUnreadable("the data key was wrapped by key " + wrapped.keyId() + ", which "
                    + file.getFileName() + " does not hold");
        }
        try {
            Cipher cipher = Cipher.getInstance("AESWrap");
            cipher.init(Cipher.UNWRAP_MODE, key);
            return cipher.unwrap(wrapped.wrapped(), "AES", Cipher.SECRET_KEY).getEncoded();
        } catch (InvalidKeyException changed) {
            throw new SecretUnreadable("a data key wrapped by " + wrapped.keyId() + " does not unwrap: it was changed");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES key wrap is not available", e);
        }
    }

    private void load() {
        if (keys != null) {
            return;
        }
        synchronized (this) {
            if (keys != null) {
                return;
            }
            Map<String, SecretKeySpec> loaded = new LinkedHashMap<>();
            SecretKeySpec current = read(file, true);
            String id = idOf(current);
            loaded.put(id, current);
            Path previous = file.resolveSibling(file.getFileName() + PREVIOUS_SUFFIX);
            if (Files.exists(previous)) {
                SecretKeySpec old = read(previous, false);
                loaded.put(idOf(old), old);
            }
            currentId = id;
            keys = Map.copyOf(loaded);
        }
    }

    /** The key in {@code path}; a missing current key is created, readable by its owner only. */
    private static SecretKeySpec read(Path path, boolean create) {
        try {
            if (create && !Files.exists(path)) {
                createKeyFile(path);
            }
            byte[] key = Base64.getDecoder().decode(Files.readString(path, StandardCharsets.US_ASCII).strip());
            if (key.length != KEY_BYTES) {
                throw new IllegalStateException("key file " + path + " must hold " + KEY_BYTES + " bytes in base64");
            }
            return new SecretKeySpec(key, "AES");
        } catch (IllegalArgumentException notBase64) {
            throw new IllegalStateException("key file " + path + " must hold " + KEY_BYTES + " bytes in base64");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read key file " + path, e);
        }
    }

    /**
     * Writes the key to a private temporary file, then links it into place: the link fails if another process made
     * the file first, so two hosts starting together agree on one key and nobody reads a half-written file.
     */
    private static void createKeyFile(Path path) throws IOException {
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp;
        try {
            temp = Files.createTempFile(dir, ".key", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            temp = Files.createTempFile(dir, ".key", ".tmp");
        }
        try {
            Files.writeString(temp, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
            Files.createLink(path, temp);
        } catch (FileAlreadyExistsException createdMeanwhile) {
            // Another process of the same host made it first: use that one.
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** An id that names the key without revealing it: HMAC of a fixed label under the key. */
    private static String idOf(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            return "local:" + HexFormat.of().formatHex(mac.doFinal("sequencer key id".getBytes(StandardCharsets.US_ASCII)), 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
