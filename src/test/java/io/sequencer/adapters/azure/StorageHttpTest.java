package io.sequencer.adapters.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.util.Context;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.Test;

class StorageHttpTest {
    @Test
    void a_request_whose_answer_never_comes_fails_after_the_answer_timeout_for_the_retry_policy() throws Exception {
        try (MockWebServer storage = new MockWebServer()) {
            storage.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
            storage.start(InetAddress.getLoopbackAddress(), 0);
            HttpClient http = StorageHttp.create(setting -> null, Duration.ofSeconds(1));
            HttpRequest get = new HttpRequest(HttpMethod.GET, storage.url("/devstoreaccount1/q").toString());
            // The bound only keeps a broken timeout from hanging the build; the check is that the call gives up.
            assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
                    assertThatThrownBy(() -> http.sendSync(get, Context.NONE).close())
                            .hasCauseInstanceOf(SocketTimeoutException.class));
            assertThat(storage.getRequestCount()).isEqualTo(1);
        }
    }
}
