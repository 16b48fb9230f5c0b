package io.sequencer.domain.timer;

import io.sequencer.domain.enrollment.EnrollmentKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ticks of one sequence's step, due within the same second, carried by one timer message that fans out into
 * them when due: a batch enroll schedules one message per group instead of one per subscriber. Each member keeps
 * its own epoch, token and due time, so the ticks it fans out into are exactly the ones it replaced.
 *
 * <p>At most {@link #MAX_MEMBERS} members, with the shared fields stated once: even with every id at its longest
 * (128 characters), the message stays far below the queue's 64 KiB.
 */
public record TickGroup(String account, String sequenceId, int cursor, String stepId, List<Member> members)
        implements Timer {
    public static final int MAX_MEMBERS = 100;
    /**
     * How long before its members fall due a group fires: its fan-out puts each member's tick hidden until that
     * member's own due time, so each becomes visible exactly when a tick scheduled alone would, and the fan-out's
     * puts (and the trigger's next poll) add nothing to the steps' lateness.
     */
    public static final Duration FAN_OUT_LEAD = Duration.ofSeconds(2);

    /** One enrollment's first tick, less what the group states for all. */
    public record Member(String subscriberId, long epoch, Instant dueAt, String token) {}

    public TickGroup {
        if (account == null || sequenceId == null || stepId == null || members == null) {
            throw new IllegalArgumentException("account, sequenceId, stepId and members are required");
        }
        if (members.isEmpty() || members.size() > MAX_MEMBERS) {
            throw new IllegalArgumentException("a group has 1 to " + MAX_MEMBERS + " members, not " + members.size());
        }
        members = List.copyOf(members);
        // Checked here, once, rather than when the group fans out into ticks that would then fail one by one.
        ticks(account, sequenceId, cursor, stepId, members);
    }

    /** The latest member's due time: no member fires before its own. */
    @Override
    public Instant dueAt() {
        return members.stream().map(Member::dueAt).max(Comparator.naturalOrder()).orElseThrow();
    }

    /** {@link #FAN_OUT_LEAD} before the latest member's due time (a message fires at once when that is past). */
    @Override
    public Instant fireAt() {
        return dueAt().minus(FAN_OUT_LEAD);
    }

    /** The ticks the group stands for, in member order. */
    public List<Tick> ticks() {
        return ticks(account, sequenceId, cursor, stepId, members);
    }

    private static List<Tick> ticks(String account, String sequenceId, int cursor, String stepId, List<Member> members) {
        List<Tick> out = new ArrayList<>(members.size());
        for (Member m : members) {
            out.add(new Tick(new EnrollmentKey(account, sequenceId, m.subscriberId()), m.epoch(), cursor, stepId,
                    m.dueAt(), m.token(), 1, 0, 0));
        }
        return out;
    }

    /**
     * {@code ticks} as groups: first deliveries (attempt 1, no waits or holds) of the same sequence, cursor and step
     * due in the same second share a group of at most {@link #MAX_MEMBERS}; any other tick is left on its own.
     * Order within a group follows {@code ticks}.
     */
    public static List<Timer> of(List<Tick> ticks) {
        Map<String, List<Tick>> bySecond = new LinkedHashMap<>();
        List<Timer> out = new ArrayList<>();
        for (Tick t : ticks) {
            if (t.attempt() != 1 || t.waits() != 0 || t.holds() != 0) {
                out.add(t);
                continue;
            }
            String slot = String.join("\u0000", t.key().account(), t.key().sequenceId(), Integer.toString(t.cursor()),
                    t.stepId(), t.dueAt().truncatedTo(ChronoUnit.SECONDS).toString());
            bySecond.computeIfAbsent(slot, s -> new ArrayList<>()).add(t);
        }
        for (List<Tick> same : bySecond.values()) {
            for (int from = 0; from < same.size(); from += MAX_MEMBERS) {
                List<Tick> part = same.subList(from, Math.min(same.size(), from + MAX_MEMBERS));
                if (part.size() == 1) {
                    out.add(part.get(0));
                    continue;
                }
                Tick first = part.get(0);
                out.add(new TickGroup(first.key().account(), first.key().sequenceId(), first.cursor(), first.stepId(),
                        part.stream().map(t -> new Member(t.key().subscriberId(), t.epoch(), t.dueAt(), t.token())).toList()));
            }
        }
        return out;
    }
}
