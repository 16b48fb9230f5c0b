package io.sequencer.adapters.channel;

import java.time.Duration;
import okhttp3.OkHttpClient;

/** The one OkHttpClient shared by every channel: one connection pool, one set of timeouts. */
public final class HttpClients {
    private HttpClients() {}

    public static OkHttpClient shared() {
        return withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20));
    }

    /** The shared client's policies with other timeouts; tests use it to wait milliseconds rather than seconds. */
    static OkHttpClient withTimeouts(Duration connect, Duration read, Duration call) {
        return new OkHttpClient.Builder()
                .connectTimeout(connect)
                .readTimeout(read)
                .writeTimeout(read)
                .callTimeout(call)
                // A redirect could carry a signed request somewhere the sequence owner never named.
                .followRedirects(false)
                .followSslRedirects(false)
                .retryOnConnectionFailure(false)
                .build();
    }
}
