package io.sequencer.engine;

/** A value as read from storage, with the ETag that a conditional write of it must match. */
public record Stored<T>(T value, String etag) {}
