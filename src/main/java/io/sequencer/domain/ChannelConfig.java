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

    /**
     * Sends each step through the Messenger Send API as page {@code pageId}, with the page access token held in
     * app setting {@code pageTokenSetting}; the recipient is the subscriber id (a page-scoped id).
     */
    record Messenger(String pageId, String pageTokenSetting, String graphVersion) implements ChannelConfig {
        public static final String DEFAULT_GRAPH_VERSION = "21.0";

        public Messenger {
            if (pageId == null || !pageId.matches("[0-9]{1,32}")) {
                throw new IllegalArgumentException("pageId is the page's numeric id");
            }
            if (pageTokenSetting == null || pageTokenSetting.isBlank() || graphVersion == null
                    || !graphVersion.matches("[0-9]{1,3}\\.[0-9]{1,3}")) {
                throw new IllegalArgumentException("pageTokenSetting and a graph version like 21.0 are required");
            }
        }
    }

    /**
     * Sends each step as an e-mail through SendGrid's v3 mail API from {@code fromEmail}, with the API key held in
     * app setting {@code apiKeySetting}; the recipient is the subscriber's {@code email} attribute.
     */
    record SendGrid(String apiKeySetting, String fromEmail, Optional<String> fromName) implements ChannelConfig {
        public SendGrid {
            if (apiKeySetting == null || apiKeySetting.isBlank() || fromEmail == null || fromName == null) {
                throw new IllegalArgumentException("apiKeySetting and fromEmail are required");
            }
        }
    }

    /** The step's message needs the subscriber's profile to be sent (the recipient, the messaging window). */
    default boolean needsProfile() {
        return !(this instanceof Webhook);
    }
}
