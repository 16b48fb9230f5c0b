package io.sequencer.adapters.channel;

import io.sequencer.engine.send.SendResult;

/**
 * A secret setting that is missing or holds a value no request can use. Its message names the setting and never
 * quotes the value; the send it stops fails once, for good, since no retry can change an app setting.
 */
public final class UnusableSecret extends Exception {
    UnusableSecret(String detail) {
        // No stack trace: this is an answer about configuration, not a fault in the code.
        super(detail, null, false, false);
    }

    public SendResult.PermanentFailure failure() {
        return new SendResult.PermanentFailure(getMessage());
    }
}
