package io.sequencer.domain.notification;

import io.sequencer.domain.enrollment.EnrollmentKey;
import java.util.ArrayList;
import java.util.List;

/**
 * Lifecycle events of one enrollment not yet delivered to the host, kept in the enrollment itself so that a
 * state change and the events it causes are written together or not at all. {@code lastSequence} numbers them
 * across the enrollment's whole life.
 */
public record Outbox(long lastSequence, List<Notice> pending) {
    /** Pending events an enrollment holds at most; older ones give way (the host has been failing for long). */
    static final int MAX_PENDING = 500;
    public static final Outbox EMPTY = new Outbox(0, List.of());

    public Outbox {
        pending = List.copyOf(pending);
        if (lastSequence < 0) {
            throw new IllegalArgumentException("lastSequence >= 0");
        }
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    /** This outbox with {@code notices} numbered after the last one and appended. */
    public Outbox plus(EnrollmentKey key, List<NoticeDraft> notices) {
        if (notices.isEmpty()) {
            return this;
        }
        List<Notice> all = new ArrayList<>(pending);
        long next = lastSequence;
        for (NoticeDraft draft : notices) {
            next++;
            all.add(new Notice(next, Notice.eventIdOf(key, next), draft.type(), draft.occurredAt(), draft.epoch(),
                    draft.stepId(), draft.deliveryId(), draft.detail(), draft.channel(), draft.variant()));
        }
        int overflow = all.size() - MAX_PENDING;
        return new Outbox(next, overflow > 0 ? all.subList(overflow, all.size()) : all);
    }

    /** This outbox without the events numbered up to {@code delivered}. */
    public Outbox deliveredUpTo(long delivered) {
        return new Outbox(lastSequence, pending.stream().filter(n -> n.sequence() > delivered).toList());
    }
}
