package io.sequencer.domain.broadcast;

import io.sequencer.domain.Ids;

/**
 * The queue message that fans out one page of a broadcast's audience. Keys only, never the audience itself.
 *
 * @param waits how often this message has already found the previous page not yet committed and come back later
 */
public record FanOutPage(String account, String broadcastId, int page, int waits) {
    /** Times a page waits for the previous one to commit before it leaves the work to the retried previous page. */
    public static final int MAX_WAITS = 10;

    public FanOutPage {
        Ids.require("account", account);
        Ids.require("broadcastId", broadcastId);
        if (page < 0 || waits < 0) {
            throw new IllegalArgumentException("page and waits must not be negative");
        }
    }

    public FanOutPage waitedOnce() {
        return new FanOutPage(account, broadcastId, page, waits + 1);
    }
}
