package io.sequencer.adapters.azure;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpClient;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.security.keyvault.keys.cryptography.CryptographyClient;
import com.azure.security.keyvault.keys.cryptography.CryptographyClientBuilder;
import com.azure.security.keyvault.keys.cryptography.models.KeyWrapAlgorithm;
import com.azure.security.keyvault.keys.cryptography.models.WrapResult;
import io.sequencer.engine.secret.KeyWrap;
import io.sequencer.engine.secret.SecretUnreadable;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Data keys wrapped by an RSA key in Key Vault (RSA-OAEP-256), reached through the app's managed identity: the key
 * never leaves the vault. A data key is stored with the versioned id of the key that wrapped it, so it unwraps with
 * that version after the key was rotated, and is wrapped again under the newest version when next read.
 */
public final class KeyVaultKeyWrap implements KeyWrap {
    /** How long the newest key version is trusted before Key Vault is asked again: a rotation shows within this. */
    static final Duration CURRENT_VERSION_TTL = Duration.ofHours(1);
    static final KeyWrapAlgorithm ALGORITHM = KeyWrapAlgorithm.RSA_OAEP_256;

    private final String keyId;
    private final Function<String, CryptographyClient> clientFor;
    private final Map<String, CryptographyClient> clients = new ConcurrentHashMap<>();
    private final Clock clock;
    private final KeyWrapAlgorithm algorithm;
    private volatile String current;
    private volatile Instant currentUntil = Instant.MIN;

    /**
     * @param keyId the key's id, {@code https://<vault>.vault.azure.net/keys/<name>[/<version>]}: without a version
     *              the newest one wraps
     * @param clientFor a client for a (versioned or not) key id
     */
    public KeyVaultKeyWrap(String keyId, Function<String, CryptographyClient> clientFor, Clock clock) {
        this(keyId, clientFor, clock, ALGORITHM);
    }

    /** With another algorithm: for tests on a local key, as the SDK performs no RSA-OAEP-256 locally. */
    KeyVaultKeyWrap(String keyId, Function<String, CryptographyClient> clientFor, Clock clock, KeyWrapAlgorithm algorithm) {
        this.keyId = requireKeyId(keyId);
        this.clientFor = clientFor;
        this.clock = clock;
        this.algorithm = algorithm;
    }

    /** Through the managed identity ({@code clientId} picks a user-assigned one; null for the default chain). */
    public static KeyVaultKeyWrap withManagedIdentity(String keyId, String clientId, Clock clock) {
        HttpClient http = StorageClients.storageHttpClient();
        DefaultAzureCredentialBuilder credential = new DefaultAzureCredentialBuilder().httpClient(http);
        if (clientId != null && !clientId.isBlank()) {
            credential.managedIdentityClientId(clientId.trim());
        }
        var built = credential.build();
        return new KeyVaultKeyWrap(keyId, id -> new CryptographyClientBuilder().keyIdentifier(id).credential(built)
                .httpClient(http).buildClient(), clock);
    }

    /** The id as given, when it names a key in a vault; @throws IllegalStateException otherwise */
    static String requireKeyId(String keyId) {
        URI uri;
        try {
            uri = URI.create(keyId == null ? "" : keyId.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the Key Vault key id is not a URL");
        }
        String[] path = uri.getPath() == null ? new String[0] : uri.getPath().replaceAll("^/|/$", "").split("/");
        if (!"https".equals(uri.getScheme()) || uri.getHost() == null || path.length < 2 || path.length > 3
                || !path[0].equals("keys")) {
            throw new IllegalStateException("the Key Vault key id must look like https://<vault>.vault.azure.net/keys/<name>[/<version>]");
        }
        return uri.toString();
    }

    private boolean versioned() {
        return URI.create(keyId).getPath().replaceAll("^/|/$", "").split("/").length == 3;
    }

    @Override
    public String currentKeyId() {
        if (versioned()) {
            return keyId;
        }
        if (current == null || clock.instant().isAfter(currentUntil)) {
            current = client(keyId).getKey().getId();
            currentUntil = clock.instant().plus(CURRENT_VERSION_TTL);
        }
        return current;
    }

    @Override
    public WrappedKey wrap(byte[] dataKey) {
        WrapResult result = client(keyId).wrapKey(algorithm, dataKey);
        // The result names the version that wrapped, which is the one that must unwrap.
        String wrappedBy = result.getKeyId() == null || result.getKeyId().isBlank() ? keyId : result.getKeyId();
        return new WrappedKey(wrappedBy, result.getEncryptedKey());
    }

    @Override
    public byte[] unwrap(WrappedKey wrapped) {
        try {
            return client(wrapped.keyId()).unwrapKey(algorithm, wrapped.wrapped()).getKey();
        } catch (HttpResponseException e) {
            int status = e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
            if (status == 400 || status == 404) {
                throw new SecretUnreadable("Key Vault cannot unwrap a data key with " + wrapped.keyId() + " (HTTP "
                        + status + ")");
            }
            throw e;
        } catch (RuntimeException e) {
            // Local unwrapping (a key held as a JSON web key) reports a changed ciphertext this way.
            if (e.getCause() instanceof javax.crypto.BadPaddingException) {
                throw new SecretUnreadable("a data key wrapped by " + wrapped.keyId() + " does not unwrap: it was changed");
            }
            throw e;
        }
    }

    private CryptographyClient client(String id) {
        return clients.computeIfAbsent(id, clientFor);
    }
}
