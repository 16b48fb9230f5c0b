package io.sequencer.engine.sequence;

import io.sequencer.domain.sequence.Sequence;
import io.sequencer.engine.Stored;
import java.util.List;
import java.util.Optional;

/** Port: where sequence definitions live. Every operation is scoped to one account. */
public interface SequenceStore {
    Optional<Stored<Sequence>> find(String account, String sequenceId);

    /** @throws AlreadyExists when the sequence exists */
    void create(Sequence sequence);

    /** @throws StaleWrite when the stored sequence's ETag is no longer {@code etag} */
    void replace(Sequence sequence, String etag);

    /** Every sequence of {@code account}, ordered by id. */
    List<Sequence> list(String account);
}
