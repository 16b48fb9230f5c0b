package io.sequencer.functions;

import io.sequencer.domain.timer.Tick;
import io.sequencer.engine.tick.TickOutcome;

/** One greppable, queryable log line per tick outcome (key=value pairs; no message bodies, no secrets). */
final class TickLog {
    private TickLog() {}

    static String line(Tick tick, TickOutcome outcome, long dequeueCount) {
        String common = " account=" + tick.key().account() + " sequence=" + tick.key().sequenceId()
                + " subscriber=" + tick.key().subscriberId() + " epoch=" + tick.epoch() + " cursor=" + tick.cursor()
                + " dequeueCount=" + dequeueCount;
        if (outcome instanceof TickOutcome.Done d) {
            return "tick outcome=" + d.outcome().wireName() + common + " step=" + d.stepId()
                    + " deliveryId=" + d.deliveryId() + " attempt=" + tick.attempt()
                    + " latenessMs=" + d.lateness().toMillis() + " completed=" + d.completed()
                    + (d.detail().isEmpty() ? "" : " detail=" + quoted(d.detail()));
        }
        if (outcome instanceof TickOutcome.RetryLater r) {
            return "tick outcome=retry" + common + " step=" + r.stepId() + " deliveryId=" + r.deliveryId()
                    + " attempt=" + r.attempt() + " afterMs=" + r.after().toMillis() + " reason=" + quoted(r.reason());
        }
        if (outcome instanceof TickOutcome.Hop h) {
            return "tick outcome=hop" + common + " step=" + h.stepId() + " afterMs=" + h.after().toMillis();
        }
        if (outcome instanceof TickOutcome.Wait w) {
            return "tick outcome=wait" + common + " afterMs=" + w.after().toMillis() + " reason=" + quoted(w.reason());
        }
        return "tick outcome=dropped" + common + " reason=" + quoted(((TickOutcome.Dropped) outcome).reason());
    }

    private static String quoted(String text) {
        return "\"" + text.replace('"', '\'') + "\"";
    }
}
