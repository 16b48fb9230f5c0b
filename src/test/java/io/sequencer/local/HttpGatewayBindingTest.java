package io.sequencer.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Headers and query parameters as the host hands them to a Java function. */
class HttpGatewayBindingTest {

    @Test
    void header_names_reach_the_function_lower_cased_and_repeated_ones_joined() throws Exception {
        AtomicReference<Map<String, String>> seen = new AtomicReference<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            seen.set(HttpGateway.headers(exchange));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        try {
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"))
                    .header("X-Functions-Key", "k").header("Accept", "a/b").header("accept", "c/d").build(),
                    HttpResponse.BodyHandlers.discarding());
        } finally {
            server.stop(0);
        }

        assertThat(seen.get()).containsEntry("x-functions-key", "k").doesNotContainKey("X-Functions-Key");
        assertThat(seen.get().get("accept")).isIn("a/b,c/d", "c/d,a/b");
    }

    @Test
    void query_parameters_keep_their_case_and_repeated_ones_are_joined() {
        Map<String, String> query = HttpGateway.query("Limit=5&limit=7&code=a%20b&tag=x&tag=y&&flag");

        assertThat(query).containsEntry("Limit", "5").containsEntry("limit", "7").containsEntry("code", "a b")
                .containsEntry("tag", "x,y").containsEntry("flag", "").hasSize(5);
    }
}
