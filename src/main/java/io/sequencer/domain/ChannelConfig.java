package io.sequencer.domain;

import java.net.URI;
import java.util.Optional;

/** Where a sequence's messages go. Secrets are never held here, only the name of the app setting that holds them. */
public sealed interface ChannelConfig {

    /** POST each due step to the host's URL, signed with the secret in {@code secretSetting} when named. */
    record Webhook(URI url, Optional<String> secretSetting) implements ChannelConfig {
        public Webhook {
            if (url == null || !url.isAbsolute()) {
                throw new IllegalArgumentException("url must be absolute");
            }
            String scheme = url.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException("url must be http or https");
            }
            secretSetting = secretSetting == null ? Optional.empty() : secretSetting;
        }
    }
}
