package io.sequencer.engine;

import io.sequencer.domain.Ids;
import io.sequencer.domain.Sequence;
import io.sequencer.domain.SequenceDraft;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Use cases on sequence definitions: define (create or replace), read, list. */
public final class SequenceCatalog {
    private static final int MAX_RACES = 5;

    private final SequenceStore store;
    private final Clock clock;

    public SequenceCatalog(SequenceStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * Creates the sequence (version 1) or replaces it (version + 1). Replaying an identical definition changes
     * nothing, so a retried PUT does not bump the version.
     */
    public DefinedSequence define(String account, String sequenceId, SequenceDraft draft) {
        Ids.require("account", account);
        Ids.require("sequenceId", sequenceId);
        for (int race = 0; race < MAX_RACES; race++) {
            Instant now = clock.instant();
            Optional<Stored<Sequence>> current = store.find(account, sequenceId);
            try {
                if (current.isEmpty()) {
                    Sequence created = new Sequence(account, sequenceId, draft.name(), draft.steps(), draft.channel(), 1, now, now);
                    store.create(created);
                    return new DefinedSequence(created, true);
                }
                Sequence old = current.get().value();
                if (old.sameDefinitionAs(draft)) {
                    return new DefinedSequence(old, false);
                }
                Sequence replaced = new Sequence(account, sequenceId, draft.name(), draft.steps(), draft.channel(),
                        old.version() + 1, old.createdAt(), now);
                store.replace(replaced, current.get().etag());
                return new DefinedSequence(replaced, false);
            } catch (AlreadyExists | StaleWrite lostRace) {
                // Another writer got there first: read again and apply ours on top.
            }
        }
        throw new Conflict("sequence " + sequenceId + " is being changed concurrently; try again");
    }

    public Sequence get(String account, String sequenceId) {
        Ids.require("account", account);
        Ids.require("sequenceId", sequenceId);
        return store.find(account, sequenceId).map(Stored::value)
                .orElseThrow(() -> new NotFound("sequence " + sequenceId));
    }

    public List<Sequence> list(String account) {
        Ids.require("account", account);
        return store.list(account);
    }
}
