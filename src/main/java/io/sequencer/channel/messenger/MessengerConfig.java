package io.sequencer.channel.messenger;

import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.domain.channel.CredentialName;
import io.sequencer.domain.channel.Destination;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Sends each step through the Messenger Send API as page {@code pageId}, with the page access token held in
 * app setting {@code pageTokenSetting} or in the account's secret {@code pageToken}; the recipient is the
 * subscriber id (a page-scoped id).
 */
public record MessengerConfig(String pageId, Optional<String> pageTokenSetting, String graphVersion,
                              Optional<String> pageToken) implements ChannelConfig {
    public static final String TYPE = "messenger";
    public static final String DEFAULT_GRAPH_VERSION = "21.0";

    public MessengerConfig(String pageId, String pageTokenSetting, String graphVersion) {
        this(pageId, Optional.ofNullable(pageTokenSetting).filter(s -> !s.isBlank()), graphVersion, Optional.empty());
    }

    public MessengerConfig {
        if (pageId == null || !pageId.matches("[0-9]{1,32}")) {
            throw new IllegalArgumentException("pageId is the page's numeric id");
        }
        if (pageTokenSetting == null || pageToken == null || pageTokenSetting.isPresent() == pageToken.isPresent()
                || graphVersion == null || !graphVersion.matches("[0-9]{1,3}\\.[0-9]{1,3}")) {
            throw new IllegalArgumentException("pageToken or pageTokenSetting, and a graph version like 21.0 are required");
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** The page: Messenger has one API host per app, so the page alone tells destinations apart. */
    @Override
    public Destination destination() {
        return new Destination("messenger:" + pageId);
    }

    @Override
    public List<CredentialName> credentials() {
        return Stream.concat(
                pageTokenSetting.map(s -> new CredentialName("pageTokenSetting", CredentialName.Source.APP_SETTING, s))
                        .stream(),
                pageToken.map(s -> new CredentialName("pageToken", CredentialName.Source.ACCOUNT_SECRET, s)).stream())
                .toList();
    }
}
