package io.sequencer.domain.channel;

import java.net.URI;
import java.util.Optional;

/**
 * Where a sequence's messages go. Secrets are never held here, only a name: of an app setting ({@code *Setting}) or
 * of a secret of the account's own ({@code secret}, {@code pageToken}, {@code apiKey}), one or the other.
 */
public sealed interface ChannelConfig {

    /**
     * POST each due step to the host's URL, signed with the secret in app setting {@code secretSetting} or in the
     * account's secret {@code secret}, when one is named.
     */
    record Webhook(URI url, Optional<String> secretSetting, Optional<String> secret) implements ChannelConfig {
        public Webhook(URI url, Optional<String> secretSetting) {
            this(url, secretSetting, Optional.empty());
        }

        public Webhook {
            if (url == null || !url.isAbsolute()) {
                throw new IllegalArgumentException("url must be absolute");
            }
            String scheme = url.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException("url must be http or https");
            }
            secretSetting = secretSetting == null ? Optional.empty() : secretSetting;
            secret = secret == null ? Optional.empty() : secret;
            if (secretSetting.isPresent() && secret.isPresent()) {
                throw new IllegalArgumentException("name secret or secretSetting, not both");
            }
        }

        @Override
        public Optional<String> accountSecret() {
            return secret;
        }
    }

    /**
     * Sends each step through the Messenger Send API as page {@code pageId}, with the page access token held in
     * app setting {@code pageTokenSetting} or in the account's secret {@code pageToken}; the recipient is the
     * subscriber id (a page-scoped id).
     */
    record Messenger(String pageId, Optional<String> pageTokenSetting, String graphVersion, Optional<String> pageToken)
            implements ChannelConfig {
        public static final String DEFAULT_GRAPH_VERSION = "21.0";

        public Messenger(String pageId, String pageTokenSetting, String graphVersion) {
            this(pageId, Optional.ofNullable(pageTokenSetting).filter(s -> !s.isBlank()), graphVersion, Optional.empty());
        }

        public Messenger {
            if (pageId == null || !pageId.matches("[0-9]{1,32}")) {
                throw new IllegalArgumentException("pageId is the page's numeric id");
            }
            if (pageTokenSetting == null || pageToken == null || pageTokenSetting.isPresent() == pageToken.isPresent()
                    || graphVersion == null || !graphVersion.matches("[0-9]{1,3}\\.[0-9]{1,3}")) {
                throw new IllegalArgumentException("pageToken or pageTokenSetting, and a graph version like 21.0 are required");
            }
        }

        @Override
        public Optional<String> accountSecret() {
            return pageToken;
        }
    }

    /**
     * Sends each step as an e-mail through SendGrid's v3 mail API from {@code fromEmail}, with the API key held in
     * app setting {@code apiKeySetting} or in the account's secret {@code apiKey}; the recipient is the
     * subscriber's {@code email} attribute.
     */
    record SendGrid(Optional<String> apiKeySetting, String fromEmail, Optional<String> fromName, Optional<String> apiKey)
            implements ChannelConfig {
        public SendGrid(String apiKeySetting, String fromEmail, Optional<String> fromName) {
            this(Optional.ofNullable(apiKeySetting).filter(s -> !s.isBlank()), fromEmail, fromName, Optional.empty());
        }

        public SendGrid {
            if (apiKeySetting == null || apiKey == null || apiKeySetting.isPresent() == apiKey.isPresent()
                    || fromEmail == null || fromName == null) {
                throw new IllegalArgumentException("apiKey or apiKeySetting, and fromEmail are required");
            }
        }

        @Override
        public Optional<String> accountSecret() {
            return apiKey;
        }
    }

    /** The account's own secret this channel names, if it names one rather than an app setting. */
    default Optional<String> accountSecret() {
        return Optional.empty();
    }

    /** The step's message needs the subscriber's profile to be sent (the recipient, the messaging window). */
    default boolean needsProfile() {
        return !(this instanceof Webhook);
    }
}
