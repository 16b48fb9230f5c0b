package io.sequencer.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Each kind of local receiver speaks and closes as the receivers it stands for do, seen from a raw socket. */
class SocketHttpServerTest {
    private final List<SocketHttpServer.Request> seen = new CopyOnWriteArrayList<>();

    private SocketHttpServer server(ReceiverConnections connections) throws IOException {
        return new SocketHttpServer(connections, request -> {
            seen.add(request);
            return 200;
        });
    }

    private static String post(String body) {
        return "POST /hook HTTP/1.1\r\nHost: 127.0.0.1\r\nidempotency-key: k1\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private static Socket connect(SocketHttpServer server) throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout(5_000);
        return socket;
    }

    /** Everything the server sends until it closes the connection. */
    private static String untilClosed(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    /** One answer head, up to the blank line. */
    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (!out.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + out);
            }
            out.write(b);
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void an_http_1_0_receiver_answers_in_http_1_0_and_closes_without_saying_so() throws Exception {
        try (SocketHttpServer server = server(new ReceiverConnections.Http10ClosesSilently()); Socket socket = connect(server)) {
            socket.getOutputStream().write(post("{\"a\":1}").getBytes(StandardCharsets.ISO_8859_1));
            String answer = untilClosed(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.0 200 OK\r\n").endsWith("\r\n\r\n").doesNotContainIgnoringCase("connection");
        }
        assertThat(seen).singleElement().satisfies(r -> {
            assertThat(r.bodyText()).isEqualTo("{\"a\":1}");
            assertThat(r.header("Idempotency-Key")).isEqualTo("k1");
            assertThat(r.path()).isEqualTo("/hook");
        });
    }

    @Test
    void a_receiver_that_says_close_says_it_and_closes() throws Exception {
        try (SocketHttpServer server = server(new ReceiverConnections.SaysClose()); Socket socket = connect(server)) {
            socket.getOutputStream().write(post("{}").getBytes(StandardCharsets.ISO_8859_1));
            assertThat(untilClosed(socket.getInputStream())).startsWith("HTTP/1.1 200 OK\r\n").contains("\r\nConnection: close\r\n");
        }
    }

    @Test
    void a_keep_alive_receiver_answers_several_requests_on_one_connection() throws Exception {
        try (SocketHttpServer server = server(ReceiverConnections.KeepAlive.forever()); Socket socket = connect(server)) {
            for (int i = 0; i < 3; i++) {
                socket.getOutputStream().write(post("{\"n\":" + i + "}").getBytes(StandardCharsets.ISO_8859_1));
                assertThat(head(socket.getInputStream())).startsWith("HTTP/1.1 200 OK\r\n").doesNotContainIgnoringCase("connection");
            }
        }
        assertThat(seen).extracting(SocketHttpServer.Request::bodyText).containsExactly("{\"n\":0}", "{\"n\":1}", "{\"n\":2}");
    }

    @Test
    void a_keep_alive_receiver_with_an_idle_limit_drops_an_idle_connection_without_a_word() throws Exception {
        try (SocketHttpServer server = server(new ReceiverConnections.KeepAlive(Duration.ofMillis(200)));
             Socket socket = connect(server)) {
            socket.getOutputStream().write(post("{}").getBytes(StandardCharsets.ISO_8859_1));
            assertThat(head(socket.getInputStream())).startsWith("HTTP/1.1 200 OK\r\n");
            // Nothing more is sent: the receiver closes once the connection has been idle for its limit.
            assertThat(untilClosed(socket.getInputStream())).isEmpty();
        }
    }
}
