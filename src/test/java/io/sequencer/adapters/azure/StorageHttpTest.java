package io.sequencer.adapters.azure;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.util.Context;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StorageHttpTest {
    @Test
    void a_request_whose_answer_never_comes_fails_after_the_answer_timeout_for_the_retry_policy() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread reader = new Thread(() -> readAndNeverAnswer(silent), "silent-storage");
            reader.setDaemon(true);
            reader.start();
            HttpClient http = StorageHttp.create(setting -> null, Duration.ofSeconds(1));
            HttpRequest get = new HttpRequest(HttpMethod.GET, "http://127.0.0.1:" + silent.getLocalPort() + "/devstoreaccount1/q");
            // The bound only keeps a broken timeout from hanging the build; the check is that the call gives up.
            assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
                    assertThatThrownBy(() -> http.sendSync(get, Context.NONE).close())
                            .hasCauseInstanceOf(SocketTimeoutException.class));
            reader.interrupt();
        }
    }

    private static void readAndNeverAnswer(ServerSocket server) {
        try (Socket socket = server.accept(); InputStream in = socket.getInputStream()) {
            while (in.read() >= 0) {
                // reads the request and whatever follows, answers nothing
            }
        } catch (IOException e) {
            // the client gave up and closed the connection, or the test ended
        }
    }
}
