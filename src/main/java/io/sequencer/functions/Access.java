package io.sequencer.functions;

import com.microsoft.azure.functions.HttpRequestMessage;
import io.sequencer.domain.Sha256;
import io.sequencer.engine.NotFound;
import io.sequencer.engine.account.AccountKeys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Who may call what: the app authenticates every request itself, because its HTTP functions are anonymous to the
 * Functions host (the host would refuse an account key, and the Java worker cannot tell whether the host checked a
 * key). Two credentials count:
 * <ul>
 *   <li>the admin key (app setting {@value #ADMIN_KEY_SETTING}), in {@code x-functions-key} as clients sent the
 *   function key, in {@code ?code=}, or as {@code Authorization: Bearer}: every route;</li>
 *   <li>an account key ({@code sqk_...}) as {@code Authorization: Bearer}: that account's routes only. On another
 *   account's route it gets the 404 an unknown account gets, and on an admin route a 403.</li>
 * </ul>
 * Without a usable admin key nothing is admitted as admin (fail closed). Any other credential, or none, is 401 with
 * one body for every reason.
 */
final class Access {
    /** The admin key; the local host enforces the same setting (LocalHost.FUNCTION_KEY_SETTING). */
    static final String ADMIN_KEY_SETTING = "SEQUENCER_ADMIN_KEY";
    static final String ADMIN_ONLY = "this route needs the admin key; an account key cannot use it";

    /** The caller a request's credential names. */
    sealed interface Caller permits Admin, AccountHolder {}

    record Admin() implements Caller {}

    record AccountHolder(io.sequencer.domain.account.AccountKey key) implements Caller {
        String account() {
            return key.account();
        }
    }

    private final Optional<byte[]> adminKeyDigest;
    private final AccountKeys accountKeys;

    Access(Optional<byte[]> adminKey, AccountKeys accountKeys) {
        // Compared as digests, so neither the key's bytes nor its length show in the time a comparison takes.
        this.adminKeyDigest = adminKey.map(key -> Sha256.of(new String(key, StandardCharsets.UTF_8)));
        this.accountKeys = accountKeys;
    }

    static Access fromSettings(Function<String, String> settings, AccountKeys accountKeys) {
        return new Access(SecretSetting.read(settings, ADMIN_KEY_SETTING, "no request is admitted as admin"),
                accountKeys);
    }

    /** Admits the admin and {@code account}'s own keys. */
    void requireAccount(HttpRequestMessage<?> request, String account) {
        if (caller(request) instanceof AccountHolder holder) {
            if (!holder.account().equals(account)) {
                // Exactly what an unknown account would get: whether the other account exists stays unknown.
                throw new NotFound("account " + account);
            }
            accountKeys.recordUse(holder.key());
        }
    }

    /** Admits the admin only. */
    void requireAdmin(HttpRequestMessage<?> request) {
        if (caller(request) instanceof AccountHolder) {
            throw new Forbidden(ADMIN_ONLY);
        }
    }

    /** @throws Unauthenticated when the request carries no credential this service accepts */
    Caller caller(HttpRequestMessage<?> request) {
        Optional<String> functionsKey = HttpApi.header(request, "x-functions-key")
                .or(() -> HttpApi.query(request, "code"));
        if (functionsKey.isPresent()) {
            return admin(functionsKey.get()) ? new Admin() : refuse();
        }
        Optional<String> authorization = HttpApi.header(request, "Authorization");
        if (authorization.isEmpty()) {
            return refuse();
        }
        String value = authorization.get().trim();
        // The scheme is case-insensitive (RFC 9110); exactly one space-separated token must follow it.
        if (value.length() <= 7 || !value.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            return refuse();
        }
        String token = value.substring(7).trim();
        if (admin(token)) {
            return new Admin();
        }
        return accountKeys.keyOf(token).<Caller>map(AccountHolder::new).orElseGet(Access::refuse);
    }

    private boolean admin(String presented) {
        return adminKeyDigest.map(digest -> MessageDigest.isEqual(digest, Sha256.of(presented))).orElse(false);
    }

    private static Caller refuse() {
        throw new Unauthenticated();
    }
}
