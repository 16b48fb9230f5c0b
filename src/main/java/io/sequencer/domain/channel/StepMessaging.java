package io.sequencer.domain.channel;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How a Messenger step treats the platform's 24-hour standard messaging window: a {@code tag} (one of the
 * message tags Messenger allows for updates) lets it go out after the window closed; without one, a step due
 * outside the window is skipped, or held until the subscriber interacts again when {@code holdOutsideWindow}, or
 * sent as a Marketing Message to the subscriber's opt-in token when {@code marketingMessage} (and skipped when
 * they have no usable token). An {@code exempt} (transactional) step is neither held by the account's frequency caps
 * nor counted against them.
 */
public record StepMessaging(Optional<String> tag, boolean holdOutsideWindow, boolean marketingMessage,
                            boolean exempt) {
    public static final Set<String> TAGS = Set.of("CONFIRMED_EVENT_UPDATE", "POST_PURCHASE_UPDATE", "ACCOUNT_UPDATE");
    /** The {@code outsideWindow} values, as the API and the stored form spell them. */
    public static final String SKIP = "skip";
    public static final String HOLD = "hold";
    public static final String MARKETING_MESSAGE = "marketing_message";
    public static final List<String> OUTSIDE_WINDOW = List.of(SKIP, HOLD, MARKETING_MESSAGE);
    public static final StepMessaging DEFAULT = new StepMessaging(Optional.empty(), false, false, false);

    public StepMessaging {
        if (tag == null || tag.filter(t -> !TAGS.contains(t)).isPresent()) {
            throw new IllegalArgumentException("tag must be one of " + TAGS);
        }
        if (holdOutsideWindow && marketingMessage) {
            throw new IllegalArgumentException("outside the window a step is held or sent as a marketing message, not both");
        }
    }

    /** From {@code outsideWindow}'s spelling (absent or unknown: skip); not exempt from the frequency caps. */
    public static StepMessaging of(Optional<String> tag, Optional<String> outsideWindow) {
        return of(tag, outsideWindow, false);
    }

    /** From {@code outsideWindow}'s spelling (absent or unknown: skip), {@code exempt} from the caps or not. */
    public static StepMessaging of(Optional<String> tag, Optional<String> outsideWindow, boolean exempt) {
        String outside = outsideWindow.orElse(SKIP);
        return new StepMessaging(tag, HOLD.equals(outside), MARKETING_MESSAGE.equals(outside), exempt);
    }

    /** The {@code outsideWindow} spelling of this policy. */
    public String outsideWindow() {
        return holdOutsideWindow ? HOLD : marketingMessage ? MARKETING_MESSAGE : SKIP;
    }

    /** Not a marketing message, and counted against the frequency caps like any step. */
    public StepMessaging(Optional<String> tag, boolean holdOutsideWindow) {
        this(tag, holdOutsideWindow, false, false);
    }
}
