package io.sequencer.channel.webhook;

import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.domain.channel.CredentialName;
import io.sequencer.domain.channel.Destination;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * POST each due step to the host's URL, signed with the secret in app setting {@code secretSetting} or in the
 * account's secret {@code secret}, when one is named.
 */
public record WebhookConfig(URI url, Optional<String> secretSetting, Optional<String> secret) implements ChannelConfig {
    public static final String TYPE = "webhook";

    public WebhookConfig(URI url, Optional<String> secretSetting) {
        this(url, secretSetting, Optional.empty());
    }

    public WebhookConfig {
        if (url == null || !url.isAbsolute()) {
            throw new IllegalArgumentException("url must be absolute");
        }
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
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
    public String type() {
        return TYPE;
    }

    /** The URL's scheme, host and port: one receiver, whatever the path. */
    @Override
    public Destination destination() {
        return Destination.origin(url);
    }

    @Override
    public List<CredentialName> credentials() {
        return Stream.concat(
                secretSetting.map(s -> new CredentialName("secretSetting", CredentialName.Source.APP_SETTING, s)).stream(),
                secret.map(s -> new CredentialName("secret", CredentialName.Source.ACCOUNT_SECRET, s)).stream())
                .toList();
    }

    @Override
    public Optional<URI> tenantUrl() {
        return Optional.of(url);
    }
}
