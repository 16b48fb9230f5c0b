package io.sequencer.channel.messenger;

import io.sequencer.engine.send.SendResult;
import java.util.Locale;
import java.util.Optional;

/**
 * How Graph's errors to a marketing message (sent to a subscriber's opt-in token) are read. Meta documents two
 * Marketing Messages codes: {@code 4/2018354}, a message inside the frequency the subscriber agreed to (this message
 * fails, the token stays good), and {@code 9/2018352}, a subscriber "performing too many actions" (try later).
 * A permission error ({@code 10}, any subcode: the token does not let the page message them, as for a stopped or
 * expired opt-in) or an invalid parameter naming the token ({@code 100}) refuses the token itself: it is marked
 * unusable, and later steps go straight to their policy for a closed window. Anything else is read as for any send.
 */
final class MarketingErrors {
    static final String TOKEN_REFUSED = "marketing_token_refused: ";
    static final String FREQUENCY_LIMIT = "marketing_frequency_limit: ";
    private static final int FREQUENCY_CODE = 4;
    private static final int FREQUENCY_SUBCODE = 2018354;
    private static final int TOO_MANY_ACTIONS_CODE = 9;
    private static final int TOO_MANY_ACTIONS_SUBCODE = 2018352;
    private static final int PERMISSION_CODE = 10;
    private static final int INVALID_PARAMETER_CODE = 100;
    /** Graph's "no matching user found": the person is gone, not the token. */
    private static final int NO_MATCHING_USER_SUBCODE = 2018001;

    private MarketingErrors() {}

    /** The result for a marketing message's error, when it is one of these; empty to read it as any send's. */
    static Optional<SendResult> classify(int code, int subcode, String message, String detail) {
        if (code == FREQUENCY_CODE && subcode == FREQUENCY_SUBCODE) {
            return Optional.of(new SendResult.PermanentFailure(FREQUENCY_LIMIT + detail));
        }
        if (code == TOO_MANY_ACTIONS_CODE && subcode == TOO_MANY_ACTIONS_SUBCODE) {
            return Optional.of(new SendResult.TransientFailure(detail, null));
        }
        boolean namesToken = message.toLowerCase(Locale.ROOT).contains("token");
        if (code == PERMISSION_CODE
                || (code == INVALID_PARAMETER_CODE && subcode != NO_MATCHING_USER_SUBCODE && namesToken)) {
            return Optional.of(new SendResult.PermanentFailure(TOKEN_REFUSED + detail, true));
        }
        return Optional.empty();
    }
}
