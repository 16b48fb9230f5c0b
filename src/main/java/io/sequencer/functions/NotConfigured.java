package io.sequencer.functions;

/** A feature needs an app setting the admin has not (or not usably) set; the request cannot be served until then. */
final class NotConfigured extends RuntimeException {
    NotConfigured(String detail) {
        super(detail);
    }
}
