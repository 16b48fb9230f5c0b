package io.sequencer.domain.channel;

import java.util.Optional;
import java.util.Set;

/**
 * How a Messenger step treats the platform's 24-hour standard messaging window: a {@code tag} (one of the
 * message tags Messenger allows for updates) lets it go out after the window closed; without one, a step due
 * outside the window is skipped, or held until the subscriber interacts again when {@code holdOutsideWindow}.
 * An {@code exempt} (transactional) step is neither held by the account's frequency caps nor counted against them.
 */
public record StepMessaging(Optional<String> tag, boolean holdOutsideWindow, boolean exempt) {
    public static final Set<String> TAGS = Set.of("CONFIRMED_EVENT_UPDATE", "POST_PURCHASE_UPDATE", "ACCOUNT_UPDATE");
    public static final StepMessaging DEFAULT = new StepMessaging(Optional.empty(), false, false);

    public StepMessaging {
        if (tag == null || tag.filter(t -> !TAGS.contains(t)).isPresent()) {
            throw new IllegalArgumentException("tag must be one of " + TAGS);
        }
    }

    /** Counted against the frequency caps like any step. */
    public StepMessaging(Optional<String> tag, boolean holdOutsideWindow) {
        this(tag, holdOutsideWindow, false);
    }
}
