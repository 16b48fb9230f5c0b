package io.sequencer.functions;

/**
 * The caller may not have what it asked for. The detail is fixed by the caller of the constructor and must not vary
 * with the reason (unknown, tampered, expired), so that trying values teaches nothing.
 */
final class Forbidden extends RuntimeException {
    Forbidden(String detail) {
        super(detail);
    }
}
