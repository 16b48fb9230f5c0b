package io.sequencer.adapters.channel;

import io.sequencer.domain.SafeText;
import io.sequencer.engine.send.AddressRefused;
import io.sequencer.engine.send.SendResult;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import javax.net.ssl.SSLException;
import okhttp3.Response;

/**
 * The one classification of failed sends, for every channel: timeouts, network errors, 408, 429 and 5xx are
 * transient (retried through the queue with back-off, honouring {@code Retry-After}); any other answer is
 * permanent. Channels add their platform's own codes on top (Graph throttling is transient, a blocked user is
 * gone). Details are short, single-line, and never carry a secret; one shown to an account names the class of a
 * failure (timeout, connection refused, TLS, HTTP status, address not allowed) and nothing about the network.
 */
public final class SendFailures {
    static final int MAX_ERROR_BODY = 200;

    private SendFailures() {}

    /**
     * A request that got no answer, by the class of its failure alone. The exception's own text stays out: it may
     * name the addresses a host resolved to, a port's state or the platform's resolver, which would turn error
     * details into a map of the network. A refused address is permanent: asking again reaches the same place.
     */
    public static SendResult unanswered(String what, IOException e) {
        if (causedBy(e, AddressRefused.class)) {
            return new SendResult.PermanentFailure(what + " address not allowed");
        }
        return new SendResult.TransientFailure(what + " unreachable: " + failureClass(e), null);
    }

    private static String failureClass(IOException e) {
        if (causedBy(e, SocketTimeoutException.class) || causedBy(e, InterruptedIOException.class)) {
            return "timeout";
        }
        if (causedBy(e, ConnectException.class)) {
            return "connection refused";
        }
        if (causedBy(e, SSLException.class)) {
            return "TLS failure";
        }
        if (causedBy(e, UnknownHostException.class)) {
            return "host not found";
        }
        return "network error";
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> kind) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (kind.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** A non-2xx answer, by status alone. */
    public static SendResult byStatus(int status, String detail, Optional<Duration> retryAfter) {
        if (isTransientStatus(status)) {
            return new SendResult.TransientFailure(detail, retryAfter.orElse(null));
        }
        return new SendResult.PermanentFailure(detail);
    }

    static boolean isTransientStatus(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    /** The start of the answer's body on one line, for error details; {@code secrets} are blanked out. */
    public static String snippet(Response response, String... secrets) throws IOException {
        int longest = 0;
        for (String secret : secrets) {
            longest = Math.max(longest, secret == null ? 0 : secret.length());
        }
        // Enough bytes (up to 4 per character in UTF-8) to hold any secret that starts within the kept part.
        return oneLine(response.peekBody(4L * (MAX_ERROR_BODY + longest)).string(), secrets);
    }

    /** {@code text} cut to {@link #MAX_ERROR_BODY} characters on one line, with every secret blanked out. */
    public static String oneLine(String text, String... secrets) {
        return SafeText.oneLine(text, MAX_ERROR_BODY, secrets);
    }

    /** {@code text} with every occurrence of each non-empty secret replaced. */
    static String redact(String text, String... secrets) {
        return SafeText.redact(text, secrets);
    }

    /** {@code Retry-After} as seconds or as an HTTP date; absent or unparsable means no wish. */
    public static Optional<Duration> retryAfter(String header, Clock clock) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim()))));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration wait = Duration.between(clock.instant(), at.toInstant());
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (RuntimeException notDate) {
                return Optional.empty();
            }
        }
    }
}
