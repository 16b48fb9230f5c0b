package io.sequencer.adapters.channel;

import io.sequencer.engine.send.AddressGuard;
import java.net.Proxy;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

/**
 * The one OkHttpClient shared by every channel: one connection pool, one set of timeouts, and the address guard
 * on every connection it makes (tenants' webhooks and notification URLs, and the Graph and SendGrid APIs alike).
 */
public final class HttpClients {
    /** OkHttp's default number of idle connections kept; a tick's burst of sends reuses them. */
    static final int MAX_IDLE_CONNECTIONS = 5;
    /**
     * How long an idle connection is kept for reuse. Receivers and proxies close idle connections on their own
     * clock: gunicorn after 2 s, Node.js, Apache and uvicorn after 5 s, load balancers after 60 s or more, and
     * Azure's load balancer and NAT drop an idle flow without a word after 4 min (a request on such a connection
     * would wait out the read timeout). Letting go after 1.5 s keeps the connections a tick's burst of sends
     * shares, and in nearly every case gives a connection up before its receiver does; {@link StaleConnectionRetry}
     * covers the rest.
     */
    static final Duration IDLE_KEEP_ALIVE = Duration.ofMillis(1500);

    private HttpClients() {}

    /** The client, connecting only where {@code guard} allows. */
    public static OkHttpClient shared(AddressGuard guard) {
        return withTimeouts(guard, Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20));
    }

    /** The shared client's policies with other timeouts; tests use it to wait milliseconds rather than seconds. */
    static OkHttpClient withTimeouts(AddressGuard guard, Duration connect, Duration read, Duration call) {
        AddressCheck check = new AddressCheck(guard);
        return StaleConnectionRetry.install(new OkHttpClient.Builder()
                // First, so that nothing (a retry included) reaches a host before it is checked.
                .addInterceptor(check)
                .dns(check)
                // Through a proxy, the proxy would resolve the host and the guard would never see its addresses.
                .proxy(Proxy.NO_PROXY)
                .connectTimeout(connect)
                .readTimeout(read)
                .writeTimeout(read)
                .callTimeout(call)
                // A redirect could carry a signed request somewhere the sequence owner never named.
                .followRedirects(false)
                .followSslRedirects(false)
                // StaleConnectionRetry repeats the one failure that is safe to repeat; OkHttp's own recovery would
                // also repeat a request the receiver answered (408).
                .retryOnConnectionFailure(false)
                .connectionPool(new ConnectionPool(MAX_IDLE_CONNECTIONS, IDLE_KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS))
                .build());
    }
}
