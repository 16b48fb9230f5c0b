package io.sequencer.adapters.channel;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ProtocolException;
import java.time.Duration;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import okhttp3.Connection;
import okhttp3.ConnectionPool;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Makes a pooled connection that the receiver closed while it sat idle never a failed send: a request that fails
 * on a reused connection before its answer arrived goes out once more, on a new connection.
 *
 * <p>Receivers and proxies close idle connections whenever they like, often without a word (an HTTP/1.0 server
 * closes after every answer), and OkHttp reuses a connection idle for under 10 s without probing it, so the next
 * request meets a closed socket. The receiver never saw that request; the delivery id and {@code Idempotency-Key}
 * make the repeat safe even in the rare case where it did. What is repeated, and what is not:
 * <ul>
 *   <li>only a failure on a connection that already carried an exchange: a new connection that fails is the
 *       receiver's own failure and stays one attempt;</li>
 *   <li>never a timeout or a cancelled call ({@link InterruptedIOException}): a receiver that is slow or gone
 *       costs one wait per tick, not two;</li>
 *   <li>never an answer, whatever its status, nor a garbled one ({@link ProtocolException});</li>
 *   <li>once: the repeat goes out on a client whose pool keeps no connection, so it cannot meet another stale
 *       one, with the connect, read and write timeouts of the first and what is left of its call timeout.</li>
 * </ul>
 * OkHttp's own {@code retryOnConnectionFailure} is not used: it would also repeat a request the receiver
 * answered with 408, and try every further pooled connection in turn.
 */
final class StaleConnectionRetry implements Interceptor {
    /** The failure of a request on a reused connection, carried up from the network side to the retry. */
    private static final class StaleConnection extends IOException {
        StaleConnection(IOException failure) {
            super("stale pooled connection", failure);
        }

        IOException failure() {
            return (IOException) getCause();
        }
    }

    /** Connections that have carried an exchange; weak, so a closed connection is forgotten with it. */
    private final Set<Connection> used = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    private final OkHttpClient unpooled;

    private StaleConnectionRetry(OkHttpClient client) {
        this.unpooled = client.newBuilder().connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS)).build();
    }

    /** {@code client} with the retry installed. */
    static OkHttpClient install(OkHttpClient client) {
        StaleConnectionRetry retry = new StaleConnectionRetry(client);
        return client.newBuilder().addInterceptor(retry).addNetworkInterceptor(retry::markReuse).build();
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        long started = System.nanoTime();
        Request request = chain.request();
        try {
            return chain.proceed(request);
        } catch (StaleConnection stale) {
            if (chain.call().isCanceled() || (request.body() != null && request.body().isOneShot())) {
                throw stale.failure();
            }
            try {
                return freshConnections(chain, started).newCall(request).execute();
            } catch (IOException e) {
                e.addSuppressed(stale.failure());
                throw e;
            }
        }
    }

    /** The network-side half: tells a failure on a reused connection apart from any other. */
    private Response markReuse(Chain chain) throws IOException {
        boolean reused = !used.add(chain.connection());
        try {
            return chain.proceed(chain.request());
        } catch (InterruptedIOException | ProtocolException timedOutOrAnswered) {
            throw timedOutOrAnswered;
        } catch (IOException e) {
            throw reused ? new StaleConnection(e) : e;
        }
    }

    private OkHttpClient freshConnections(Chain chain, long started) {
        OkHttpClient.Builder fresh = unpooled.newBuilder()
                .connectTimeout(chain.connectTimeoutMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(chain.readTimeoutMillis(), TimeUnit.MILLISECONDS)
                .writeTimeout(chain.writeTimeoutMillis(), TimeUnit.MILLISECONDS);
        long budget = chain.call().timeout().timeoutNanos();
        if (budget > 0) {
            long left = budget - (System.nanoTime() - started);
            fresh.callTimeout(Duration.ofNanos(Math.max(left, TimeUnit.MILLISECONDS.toNanos(1))));
        }
        return fresh.build();
    }
}
