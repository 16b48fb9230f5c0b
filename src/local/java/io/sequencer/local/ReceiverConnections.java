package io.sequencer.local;

import java.time.Duration;

/**
 * How a webhook receiver treats its connection once it has answered: the kinds of receivers deliveries meet in
 * practice, for the local sinks of the demo, the tests and the benchmarks.
 */
public sealed interface ReceiverConnections {

    /** The head of an answer with {@code status} and an empty body. */
    String head(int status);

    /** Whether the connection stays open for another request after an answer. */
    boolean keepsOpen();

    /** How long an open connection may sit idle before it is closed without a word; zero for ever. */
    default Duration idleLimit() {
        return Duration.ZERO;
    }

    /** One line for people reading a demo's output. */
    String describe();

    /** HTTP/1.0 answers and a close after each, without a {@code Connection: close}: Python's http.server. */
    record Http10ClosesSilently() implements ReceiverConnections {
        @Override
        public String head(int status) {
            return "HTTP/1.0 " + status + " " + reason(status) + "\r\nContent-Length: 0\r\n\r\n";
        }

        @Override
        public boolean keepsOpen() {
            return false;
        }

        @Override
        public String describe() {
            return "HTTP/1.0, closes the connection after each answer without saying so (as Python's http.server)";
        }
    }

    /** HTTP/1.1 answers that say {@code Connection: close}, then a close. */
    record SaysClose() implements ReceiverConnections {
        @Override
        public String head(int status) {
            return "HTTP/1.1 " + status + " " + reason(status) + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        }

        @Override
        public boolean keepsOpen() {
            return false;
        }

        @Override
        public String describe() {
            return "HTTP/1.1, answers Connection: close";
        }
    }

    /** HTTP/1.1 keep-alive; a connection idle for {@code idleLimit} (unless zero) is closed without a word, as proxies do. */
    record KeepAlive(Duration idleLimit) implements ReceiverConnections {
        public KeepAlive {
            if (idleLimit.isNegative()) {
                throw new IllegalArgumentException("idleLimit must not be negative");
            }
        }

        /** Keeps every connection until the client closes it. */
        public static KeepAlive forever() {
            return new KeepAlive(Duration.ZERO);
        }

        @Override
        public String head(int status) {
            return "HTTP/1.1 " + status + " " + reason(status) + "\r\nContent-Length: 0\r\n\r\n";
        }

        @Override
        public boolean keepsOpen() {
            return true;
        }

        @Override
        public String describe() {
            return "HTTP/1.1 keep-alive" + (idleLimit.isZero() ? "" : ", drops connections idle for " + idleLimit.toMillis() + " ms");
        }
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 404 -> "Not Found";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Answer";
        };
    }
}
