package io.sequencer.engine.secret;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM under one account's data key: a fresh 12-byte random nonce per value, a 128-bit tag, and associated
 * data binding the account, the secret's name and its version, so a ciphertext copied to another account, name or
 * version fails to open instead of being read as that one's value.
 */
public final class SecretSeal {
    static final int KEY_BYTES = 32;
    static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    SecretSeal(byte[] dataKey) {
        if (dataKey == null || dataKey.length != KEY_BYTES) {
            throw new IllegalArgumentException("a data key is " + KEY_BYTES + " bytes");
        }
        this.key = new SecretKeySpec(dataKey, "AES");
    }

    /** A new random data key. */
    public static byte[] newDataKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }

    /** One value encrypted: its nonce and ciphertext (tag appended), for version {@code version} of the secret. */
    public record Sealed(long version, byte[] nonce, byte[] ciphertext) {
        public Sealed {
            if (version < 1 || nonce == null || nonce.length != NONCE_BYTES || ciphertext == null
                    || ciphertext.length < TAG_BITS / 8) {
                throw new IllegalArgumentException("a version, a " + NONCE_BYTES + "-byte nonce and a ciphertext are required");
            }
            nonce = nonce.clone();
            ciphertext = ciphertext.clone();
        }

        @Override
        public byte[] nonce() {
            return nonce.clone();
        }

        @Override
        public byte[] ciphertext() {
            return ciphertext.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Sealed s && version == s.version && java.util.Arrays.equals(nonce, s.nonce)
                    && java.util.Arrays.equals(ciphertext, s.ciphertext);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(ciphertext);
        }

        @Override
        public String toString() {
            return "Sealed[v" + version + "]";
        }
    }

    Sealed seal(String account, String name, long version, String value) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(account, name, version));
            return new Sealed(version, nonce, cipher.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** @throws SecretUnreadable when the ciphertext was changed or belongs to another account, name or version */
    String open(String account, String name, Sealed sealed) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed.nonce()));
            cipher.updateAAD(associatedData(account, name, sealed.version()));
            return new String(cipher.doFinal(sealed.ciphertext()), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new SecretUnreadable("secret " + name + " of account " + account + " does not open under its data key");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * A short fingerprint to tell values apart in a listing: the first 8 hex digits of HMAC-SHA256 under the data
     * key. Unlike a plain hash, nobody without the key can test guesses of a value against it.
     */
    String fingerprint(String account, String name, String value) {
        try {
            // A key of its own, derived from the data key, so that one key never serves two algorithms.
            Mac derive = Mac.getInstance("HmacSHA256");
            derive.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            byte[] fingerprintKey = derive.doFinal("sequencer secret fingerprint".getBytes(StandardCharsets.US_ASCII));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(fingerprintKey, "HmacSHA256"));
            mac.update(associatedData(account, name, 0));
            return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)), 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /** Length-prefixed parts, so that no two (account, name, version) triples give the same bytes. */
    private static byte[] associatedData(String account, String name, long version) {
        byte[] a = account.getBytes(StandardCharsets.UTF_8);
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + a.length + 4 + n.length + 8)
                .putInt(a.length).put(a).putInt(n.length).put(n).putLong(version).array();
    }
}
