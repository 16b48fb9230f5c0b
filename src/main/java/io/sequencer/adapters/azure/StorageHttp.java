package io.sequencer.adapters.azure;

import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import reactor.netty.resources.ConnectionProvider;

/**
 * The HTTP client of the storage clients. By default the SDK's own (the JDK's trusted CAs); with
 * {@link #TRUSTED_CERTIFICATE} set, one that trusts only the certificates in that PEM file: a local emulator's
 * self-signed certificate is then trusted by this client alone, not by the whole JVM (no javax.net.ssl property).
 */
public final class StorageHttp {
    /** A PEM file of the certificates that storage endpoints present; for a local emulator over HTTPS only. */
    public static final String TRUSTED_CERTIFICATE = "SEQUENCER_STORAGE_TRUSTED_CERTIFICATE";
    /** Before a server that closes idle connections at 5 s (Azurite does) can close one under a request. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(4);
    /** A request without an answer is left to the SDK's retry policy, instead of holding a tick for 60 s. */
    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(15);
    /** The SDK's own pool size (NettyAsyncHttpClientProvider). */
    private static final int MAX_CONNECTIONS = 500;

    private StorageHttp() {}

    /** The client for {@code settings}: the default one, or one that trusts {@link #TRUSTED_CERTIFICATE} only. */
    static HttpClient create(Function<String, String> settings) {
        String pem = settings.apply(TRUSTED_CERTIFICATE);
        if (pem == null || pem.isBlank()) {
            return StorageClients.storageHttpClient();
        }
        return trusting(Path.of(pem.trim()));
    }

    private static HttpClient trusting(Path pem) {
        SslContext ssl;
        try {
            ssl = SslContextBuilder.forClient().trustManager(certificates(pem).toArray(X509Certificate[]::new)).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ConnectionProvider pool = ConnectionProvider.builder("sequencer-storage")
                .maxConnections(MAX_CONNECTIONS)
                .maxIdleTime(IDLE_TIMEOUT)
                .build();
        reactor.netty.http.client.HttpClient netty = reactor.netty.http.client.HttpClient.create(pool)
                .secure(spec -> spec.sslContext(ssl));
        return new NettyAsyncHttpClientBuilder(netty).responseTimeout(RESPONSE_TIMEOUT).build();
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
