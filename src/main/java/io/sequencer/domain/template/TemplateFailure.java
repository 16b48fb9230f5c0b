package io.sequencer.domain.template;

/**
 * A message string that is not a valid template, or whose render failed or broke a limit. {@code line} and
 * {@code column} (both from 1) say where a syntax error is; 0 when the failure has no position.
 */
public final class TemplateFailure extends RuntimeException {
    private final int line;
    private final int column;

    public TemplateFailure(String reason, int line, int column) {
        super(reason);
        this.line = line;
        this.column = column;
    }

    public TemplateFailure(String reason) {
        this(reason, 0, 0);
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    /** The reason, with its position when it has one: {@code unexpected '}}' at line 1, column 9}. */
    public String described() {
        return line > 0 ? getMessage() + " at line " + line + ", column " + column : getMessage();
    }
}
