package io.sequencer.adapters.channel;

import java.time.Duration;
import okhttp3.OkHttpClient;

/** The one OkHttpClient shared by every channel: one connection pool, one set of timeouts. */
public final class HttpClients {
    private HttpClients() {}

    public static OkHttpClient shared() {
        return new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(5))
                .readTimeout(Duration.ofSeconds(10))
                .writeTimeout(Duration.ofSeconds(10))
                .callTimeout(Duration.ofSeconds(20))
                // A redirect could carry a signed request somewhere the sequence owner never named.
                .followRedirects(false)
                .followSslRedirects(false)
                .retryOnConnectionFailure(false)
                .build();
    }
}
