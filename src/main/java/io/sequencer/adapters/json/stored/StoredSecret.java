package io.sequencer.adapters.json.stored;

import io.sequencer.engine.secret.SealedSecret;
import io.sequencer.engine.secret.SecretSeal;
import java.util.Map;
import java.util.Optional;

/**
 * A sealed account secret as one table row: {@code name}, the current seal ({@code version}, {@code nonce},
 * {@code ciphertext}), {@code fingerprint}, {@code createdAt}, {@code updatedAt}, and while a rotation's grace
 * lasts the previous seal ({@code previousVersion}, {@code previousNonce}, {@code previousCiphertext}) and
 * {@code previousUntil}. Version 0 rows (no {@code v}) hold the same properties.
 */
public final class StoredSecret {
    private StoredSecret() {}

    public static Map<String, Object> write(SealedSecret s) {
        RowWriter row = new RowWriter()
                .put("name", s.name())
                .put("version", s.current().version())
                .put("nonce", s.current().nonce())
                .put("ciphertext", s.current().ciphertext())
                .put("fingerprint", s.fingerprint())
                .put("createdAt", s.createdAt().toString())
                .put("updatedAt", s.updatedAt().toString());
        s.previous().ifPresent(p -> row.put("previousVersion", p.version()).put("previousNonce", p.nonce())
                .put("previousCiphertext", p.ciphertext()));
        return row.put("previousUntil", s.previousUntil()).properties();
    }

    /** {@code row} (the row's key) only names the row in errors. */
    public static SealedSecret read(String account, String row, Map<String, Object> properties) {
        StoredRow stored = new StoredRow("secret " + account + "/" + row, properties);
        Optional<SecretSeal.Sealed> previous = stored.optionalBytes("previousCiphertext").map(ciphertext ->
                new SecretSeal.Sealed(stored.whole("previousVersion"), stored.bytes("previousNonce"), ciphertext));
        try {
            return new SealedSecret(account, stored.text("name"),
                    new SecretSeal.Sealed(stored.whole("version"), stored.bytes("nonce"), stored.bytes("ciphertext")),
                    previous, stored.optionalInstant("previousUntil"), stored.text("fingerprint"),
                    stored.instant("createdAt"), stored.instant("updatedAt"));
        } catch (IllegalArgumentException e) {
            throw new UnreadableStoredForm(stored.what(), "secret", "cannot be read: " + e.getMessage());
        }
    }
}
