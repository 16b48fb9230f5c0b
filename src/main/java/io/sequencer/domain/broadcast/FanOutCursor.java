package io.sequencer.domain.broadcast;

import java.time.Instant;
import java.util.Optional;

/**
 * How far a broadcast's fan-out has come. It runs as a chain of pages, one queue message each: first the pages of
 * listed subscribers, then the account's subscribers in id order, {@code after} the last one taken. {@code page}
 * is the number of the next page; a page message with another number is a stale or early copy. {@code failure} is
 * why page {@code page} failed every attempt the queue allows, until it is fanned out after all.
 */
public record FanOutCursor(Phase phase, int page, Optional<String> after, Optional<Instant> startedAt,
                           Optional<Instant> finishedAt, Optional<String> failure) {

    public enum Phase { LISTED, ACCOUNT, DONE }

    public static final FanOutCursor START = new FanOutCursor(Phase.LISTED, 0, Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty());

    public FanOutCursor {
        if (phase == null || page < 0 || after == null || startedAt == null || finishedAt == null || failure == null) {
            throw new IllegalArgumentException("phase, a page >= 0 and the optional fields are required");
        }
    }

    public boolean started() {
        return startedAt.isPresent();
    }

    public boolean done() {
        return phase == Phase.DONE;
    }

    /** The same cursor, with page {@code page} recorded as failed for {@code why}. */
    public FanOutCursor failed(String why) {
        return new FanOutCursor(phase, page, after, startedAt, finishedAt, Optional.of(why));
    }

    /**
     * The cursor after page {@code page} was handled at {@code now}: the next listed page, the first or next
     * account page ({@code lastTaken} is the last subscriber id of a full account page), or done.
     */
    public FanOutCursor next(int listPages, boolean scansAccount, Optional<String> lastTaken, Instant now) {
        Optional<Instant> started = startedAt.or(() -> Optional.of(now));
        int nextPage = page + 1;
        if (phase == Phase.LISTED && nextPage < listPages) {
            return new FanOutCursor(Phase.LISTED, nextPage, Optional.empty(), started, Optional.empty(), Optional.empty());
        }
        if (phase == Phase.LISTED && scansAccount) {
            return new FanOutCursor(Phase.ACCOUNT, nextPage, Optional.empty(), started, Optional.empty(), Optional.empty());
        }
        if (phase == Phase.ACCOUNT && lastTaken.isPresent()) {
            return new FanOutCursor(Phase.ACCOUNT, nextPage, lastTaken, started, Optional.empty(), Optional.empty());
        }
        return new FanOutCursor(Phase.DONE, nextPage, Optional.empty(), started, Optional.of(now), Optional.empty());
    }

    /** Where a broadcast's fan-out begins: its listed subscribers, or at once the account's when none are listed. */
    public static FanOutCursor start(int listPages) {
        return listPages > 0 ? START : new FanOutCursor(Phase.ACCOUNT, 0, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }
}
