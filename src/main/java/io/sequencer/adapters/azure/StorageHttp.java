package io.sequencer.adapters.azure;

import com.azure.core.http.HttpClient;
import com.azure.core.http.okhttp.OkHttpAsyncHttpClientBuilder;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

/**
 * The HTTP client of the storage clients: OkHttp, whose blocking calls the SDK's synchronous clients use directly
 * (no event loop or reactive pipeline between a tick and its storage request). By default it trusts the JDK's CAs;
 * with {@link #TRUSTED_CERTIFICATE} set, only the certificates in that PEM file: a local emulator's self-signed
 * certificate is then trusted by this client alone, not by the whole JVM (no javax.net.ssl property).
 *
 * <p>OkHttp sends a request again on a fresh connection when a pooled one fails under it (its default). A write may
 * then reach storage twice, as it may through the SDK's own retry policy, which resends on any I/O error (a tick put
 * twice runs once by its token; a conditional write that finds its own change re-reads, as on any conflict). The
 * Netty client had no such retry of its own, so a write on a connection closed under it waited for the SDK's.
 */
public final class StorageHttp {
    /** A PEM file of the certificates that storage endpoints present; for a local emulator over HTTPS only. */
    public static final String TRUSTED_CERTIFICATE = "SEQUENCER_STORAGE_TRUSTED_CERTIFICATE";
    /** Before a server that closes idle connections at 5 s (Azurite does) can close one under a request. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(4);
    /** A request without an answer is left to the SDK's retry policy, instead of holding a tick for 60 s. */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(15);
    /**
     * Idle connections kept per client, above what one instance has in flight at once on one client: 24 invocations
     * of one queue function (host.json: batchSize 16 + newBatchThreshold 8), each one request at a time.
     */
    private static final int MAX_IDLE_CONNECTIONS = 64;

    /**
     * Retries of queue requests: the storage SDK's default waits 4 s before its first retry, then 12 s and 28 s, so a
     * ServerBusy answer to the put of a next step's timer made that step at least 4 s late. These wait as the table
     * clients' default does, 0.8 s, then 2.4 s and 5.6 s (exponential, with the SDK's jitter, at most 8 s), 4 tries.
     */
    public static final RequestRetryOptions QUEUE_RETRIES = new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, 4,
            (Duration) null, Duration.ofMillis(800), Duration.ofSeconds(8), null);

    private StorageHttp() {}

    /**
     * The client for {@code settings}: trusting {@link #TRUSTED_CERTIFICATE} only, or else the one client of the
     * process that trusts the JDK's CAs (one connection pool for storage, identity and Key Vault alike).
     */
    static HttpClient create(Function<String, String> settings) {
        String pem = settings.apply(TRUSTED_CERTIFICATE);
        return pem == null || pem.isBlank() ? JdkTrust.CLIENT : create(settings, ANSWER_TIMEOUT);
    }

    /** Built on first use: a process that never reaches storage over the JDK's CAs builds no client. */
    private static final class JdkTrust {
        static final HttpClient CLIENT = create(setting -> null, ANSWER_TIMEOUT);
    }

    /** As {@link #create(Function)}, giving up on a request whose answer has not begun after {@code answerTimeout}. */
    static HttpClient create(Function<String, String> settings, Duration answerTimeout) {
        String pem = settings.apply(TRUSTED_CERTIFICATE);
        OkHttpClient.Builder okhttp = new OkHttpClient.Builder()
                .connectionPool(new ConnectionPool(MAX_IDLE_CONNECTIONS, IDLE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        if (pem != null && !pem.isBlank()) {
            X509TrustManager trust = trusting(Path.of(pem.trim()));
            okhttp.sslSocketFactory(tls(trust).getSocketFactory(), trust);
        }
        // The wait for an answer is OkHttp's read timeout. The SDK's own response timeout is off: it schedules each
        // request's deadline on the SDK's shared executor, which refuses work once the JVM has begun to shut down, so
        // a tick still finishing then would fail its storage calls.
        return new OkHttpAsyncHttpClientBuilder(okhttp.build())
                .readTimeout(answerTimeout)
                .responseTimeout(Duration.ZERO)
                .build();
    }

    private static X509TrustManager trusting(Path pem) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            List<X509Certificate> certificates = certificates(pem);
            for (int i = 0; i < certificates.size(); i++) {
                store.setCertificateEntry("storage-" + i, certificates.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("the JDK offers no X.509 trust manager");
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(TRUSTED_CERTIFICATE + ": " + pem + ": " + e.getMessage(), e);
        }
    }

    private static SSLContext tls(X509TrustManager trust) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trust}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available: " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> certificates(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            List<X509Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toList();
            if (certificates.isEmpty()) {
                throw new IllegalStateException(TRUSTED_CERTIFICATE + ": " + pem + " holds no certificate");
            }
            return certificates;
        } catch (IOException e) {
            throw new IllegalStateException(TRUSTED_CERTIFICATE + ": cannot read " + pem + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(TRUSTED_CERTIFICATE + ": " + pem + " is not a PEM certificate: "
                    + e.getMessage(), e);
        }
    }
}
