package io.sequencer.engine.sequence;

import io.sequencer.domain.Ids;
import io.sequencer.domain.sequence.Sequence;
import io.sequencer.domain.sequence.SequenceDraft;
import io.sequencer.domain.sequence.SequenceStatus;
import io.sequencer.engine.AlreadyExists;
import io.sequencer.engine.Conflict;
import io.sequencer.engine.NotFound;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Use cases on sequence definitions: define (create or replace), read, list, pause, resume, archive. */
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
                    Sequence created = Sequence.create(account, sequenceId, draft, now);
                    store.create(created);
                    return new DefinedSequence(created, true);
                }
                Sequence old = current.get().value();
                if (old.status() == SequenceStatus.ARCHIVED) {
                    throw new Conflict("sequence " + sequenceId + " is archived; define it under a new id");
                }
                if (old.sameDefinitionAs(draft)) {
                    return new DefinedSequence(old, false);
                }
                Sequence replaced = old.replacedBy(draft, now);
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

    /** Holds every due step of the sequence until {@link #resume}; nothing is lost. Pausing twice is harmless. */
    public Sequence pause(String account, String sequenceId) {
        return changeStatus(account, sequenceId, SequenceStatus.PAUSED);
    }

    /** Lets held and future steps go out again (each in its send window). */
    public Sequence resume(String account, String sequenceId) {
        return changeStatus(account, sequenceId, SequenceStatus.ACTIVE);
    }

    /**
     * Ends the sequence for good: nothing more is sent, every enrollment ends as left (reason archived) when
     * its next tick comes, and the definition is kept for reports. Archiving twice is harmless.
     */
    public Sequence archive(String account, String sequenceId) {
        return changeStatus(account, sequenceId, SequenceStatus.ARCHIVED);
    }

    private Sequence changeStatus(String account, String sequenceId, SequenceStatus target) {
        Ids.require("account", account);
        Ids.require("sequenceId", sequenceId);
        for (int race = 0; race < MAX_RACES; race++) {
            Stored<Sequence> current = store.find(account, sequenceId)
                    .orElseThrow(() -> new NotFound("sequence " + sequenceId));
            SequenceStatus status = current.value().status();
            if (status == target) {
                return current.value();
            }
            if (status == SequenceStatus.ARCHIVED) {
                throw new Conflict("sequence " + sequenceId + " is archived and cannot be " + target.wireName() + "d");
            }
            Sequence changed = current.value().withStatus(target, clock.instant());
            try {
                store.replace(changed, current.etag());
                return changed;
            } catch (StaleWrite lostRace) {
                // Changed meanwhile: look again.
            }
        }
        throw new Conflict("sequence " + sequenceId + " is being changed concurrently; try again");
    }

    public List<Sequence> list(String account) {
        Ids.require("account", account);
        return store.list(account);
    }
}
