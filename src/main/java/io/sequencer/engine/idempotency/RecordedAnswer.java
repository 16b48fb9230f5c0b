package io.sequencer.engine.idempotency;

/** An HTTP answer as it was first given, kept so that a retried request gets the same one again. */
public record RecordedAnswer(int status, String contentType, String body) {
    public RecordedAnswer {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
        contentType = contentType == null ? "" : contentType;
        body = body == null ? "" : body;
    }

    /** Only answers the request itself settled are kept; a 5xx says nothing about what a retry would get. */
    boolean keepable() {
        // A 429 says "not now": the retry it asks for, after Retry-After, must run.
        return status < 500 && status != 429;
    }
}
