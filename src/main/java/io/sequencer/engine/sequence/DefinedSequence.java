package io.sequencer.engine.sequence;

import io.sequencer.domain.sequence.Sequence;

/** The result of a create-or-replace: the stored sequence and whether it was new. */
public record DefinedSequence(Sequence sequence, boolean created) {}
