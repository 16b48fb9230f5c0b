package io.sequencer.functions;

/** A request body over the API's size limit. */
final class PayloadTooLarge extends RuntimeException {
    PayloadTooLarge(long size, long limit) {
        super("request body is " + size + " bytes; the limit is " + limit);
    }
}
