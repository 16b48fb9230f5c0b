package io.sequencer.engine.preview;

/**
 * A step's message that cannot be made for the subscriber given: a template's render failed, or what it rendered
 * breaks the channel's rules. {@code field} names where: {@code message}, the step's message.
 */
public final class RenderFailed extends RuntimeException {
    private final String field;

    public RenderFailed(String field, String reason) {
        super(reason);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
