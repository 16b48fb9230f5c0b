package io.sequencer.functions;

/** The request carries no credential this service accepts; the answer is the same whatever was wrong with it. */
final class Unauthenticated extends RuntimeException {
    static final String DETAIL = "a valid key is required: the admin key in the x-functions-key header, "
            + "or a key of this account as Authorization: Bearer <key>";

    Unauthenticated() {
        super(DETAIL);
    }
}
