package io.sequencer.engine.secret;

import java.util.List;

/** What of an account still names one of its secrets (sequences, broadcasts, notification settings). */
@FunctionalInterface
public interface SecretUsers {
    /** Descriptions such as {@code "sequence welcome"}; empty when nothing names it. */
    List<String> of(String account, String name);
}
