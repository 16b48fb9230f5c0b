package io.sequencer.adapters.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.engine.send.AddressRefused;
import io.sequencer.engine.send.SendResult;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class SendFailuresTest {
    private static final String SECRET = "0123456789abcdef0123456789";

    @Test
    void a_detail_is_one_short_line() {
        assertThat(SendFailures.oneLine("  bad\r\nrequest\t" + "x".repeat(500))).hasSize(SendFailures.MAX_ERROR_BODY - 2)
                .startsWith("bad  request x");
    }

    @Test
    void every_secret_is_blanked_out() {
        assertThat(SendFailures.oneLine("key " + SECRET + " and " + SECRET, SECRET, null, ""))
                .isEqualTo("key [redacted] and [redacted]");
    }

    @Test
    void a_secret_across_the_cut_is_blanked_out_whole_rather_than_cut() {
        for (int start = SendFailures.MAX_ERROR_BODY - SECRET.length(); start < SendFailures.MAX_ERROR_BODY + 2; start++) {
            String text = "y".repeat(start) + SECRET + "z".repeat(300);
            String line = SendFailures.oneLine(text, SECRET);
            assertThat(line).doesNotContain(SECRET.substring(0, 3));
        }
    }

    @Test
    void a_secret_after_a_longer_one_is_not_pulled_into_the_kept_part() {
        String shorter = "sh0rt-secret";
        String text = "y".repeat(150) + SECRET + "y".repeat(30) + shorter;
        assertThat(SendFailures.oneLine(text, SECRET, shorter)).doesNotContain("sh0rt").doesNotContain("0123");
    }

    @Test
    void an_unanswered_send_names_the_class_of_its_failure_and_nothing_from_the_network() {
        assertThat(SendFailures.unanswered("webhook", new ConnectException("Failed to connect to /10.0.0.5:8080")))
                .isEqualTo(new SendResult.TransientFailure("webhook unreachable: connection refused", null));
        assertThat(SendFailures.unanswered("webhook", new SocketTimeoutException("Connect timed out to 10.0.0.5")))
                .isEqualTo(new SendResult.TransientFailure("webhook unreachable: timeout", null));
        assertThat(SendFailures.unanswered("webhook", new SSLHandshakeException("PKIX path building failed: CN=db.internal")))
                .isEqualTo(new SendResult.TransientFailure("webhook unreachable: TLS failure", null));
        assertThat(SendFailures.unanswered("webhook", new UnknownHostException("db.internal: Name or service not known")))
                .isEqualTo(new SendResult.TransientFailure("webhook unreachable: host not found", null));
        assertThat(SendFailures.unanswered("webhook", new NoRouteToHostException("No route to host 10.0.0.5")))
                .isEqualTo(new SendResult.TransientFailure("webhook unreachable: network error", null));
    }

    @Test
    void a_refused_address_is_permanent_wherever_it_sits_in_the_causes() {
        assertThat(SendFailures.unanswered("webhook", new IOException("wrapped", new AddressRefused("hooks.example.com"))))
                .isEqualTo(new SendResult.PermanentFailure("webhook address not allowed"));
    }
}
