package io.sequencer.adapters.json.stored;

/**
 * A stored row or queue message that lacks a field its version requires, or holds a value no version could have
 * written. It names what was read and the field, so an operator can find the row; it is never a request error.
 */
final class UnreadableStoredForm extends RuntimeException {
    public UnreadableStoredForm(String what, String field, String problem) {
        super("stored " + what + ": " + field + " " + problem);
    }
}
