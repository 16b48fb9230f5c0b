package io.sequencer.domain;

/** One reason a request was refused, naming the field by its JSON path (e.g. {@code steps[1].delay.unit}). */
public record FieldError(String field, String reason) {}
