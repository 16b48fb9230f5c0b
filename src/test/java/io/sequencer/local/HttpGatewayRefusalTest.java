package io.sequencer.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A request the gateway refuses before any function runs (no route, no key) may carry a large body. Unread, the
 * JDK's server would drop the connection after its answer, without saying so, and a client that sends its next
 * request on that connection gets no answer at all; read and dropped, the connection serves the next request.
 */
class HttpGatewayRefusalTest {

    public static final class Hello {
        public HttpResponseMessage run(@HttpTrigger(name = "request", route = "hello")
                                       HttpRequestMessage<Optional<String>> request) {
            return request.createResponseBuilder(HttpStatus.OK).body("hello").build();
        }
    }

    @Test
    void a_refused_request_with_a_large_body_leaves_its_connection_able_to_serve_the_next() throws Exception {
        StagedApp app = new StagedApp(Path.of("staged"), "api",
                new StagedApp.QueueOptions(16, 8, Duration.ofSeconds(1), Duration.ofSeconds(30), 5, "base64"),
                Duration.ofMinutes(5), List.of(new StagedApp.FunctionDefinition("hello", Hello.class.getName(), "run",
                        new StagedApp.HttpTrigger("hello", List.of("GET", "PUT"), "FUNCTION"))));
        try (HttpGateway gateway = new HttpGateway(app, HttpGatewayRefusalTest.class.getClassLoader(), 0, "the-key",
                Duration.ofSeconds(30))) {
            gateway.start();
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
                byte[] body = "x".repeat(300 * 1024).getBytes(StandardCharsets.US_ASCII);
                for (String path : List.of("/api/nothing-here", "/api/hello")) { // no route; no key
                    out.write(("PUT " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + body.length
                            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                    out.flush();
                    assertThat(statusAndSkipHead(in)).as(path).isIn("404", "401");
                }
                out.write("GET /api/hello?code=the-key HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertThat(statusAndSkipHead(in)).as("the next request on the same connection").isEqualTo("200");
            }
        }
    }

    /** The status of the next response, its head read up to the blank line (refusals have no body). */
    private static String statusAndSkipHead(BufferedReader in) throws Exception {
        String status = in.readLine();
        assertThat(status).as("an answer on the connection").isNotNull();
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            // headers
        }
        return status.split(" ")[1];
    }
}
