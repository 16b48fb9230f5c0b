package io.sequencer.channel.sendgrid;

import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.domain.channel.CredentialName;
import io.sequencer.domain.channel.Destination;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Sends each step as an e-mail through SendGrid's v3 mail API from {@code fromEmail}, with the API key held in
 * app setting {@code apiKeySetting} or in the account's secret {@code apiKey}; the recipient is the
 * subscriber's {@code email} attribute.
 */
public record SendGridConfig(Optional<String> apiKeySetting, String fromEmail, Optional<String> fromName,
                             Optional<String> apiKey) implements ChannelConfig {
    public static final String TYPE = "sendgrid";

    public SendGridConfig(String apiKeySetting, String fromEmail, Optional<String> fromName) {
        this(Optional.ofNullable(apiKeySetting).filter(s -> !s.isBlank()), fromEmail, fromName, Optional.empty());
    }

    public SendGridConfig {
        if (apiKeySetting == null || apiKey == null || apiKeySetting.isPresent() == apiKey.isPresent()
                || fromEmail == null || fromName == null) {
            throw new IllegalArgumentException("apiKey or apiKeySetting, and fromEmail are required");
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** The sender: SendGrid has one API host, so the sender alone tells destinations apart. */
    @Override
    public Destination destination() {
        return new Destination("sendgrid:" + fromEmail);
    }

    @Override
    public List<CredentialName> credentials() {
        return Stream.concat(
                apiKeySetting.map(s -> new CredentialName("apiKeySetting", CredentialName.Source.APP_SETTING, s)).stream(),
                apiKey.map(s -> new CredentialName("apiKey", CredentialName.Source.ACCOUNT_SECRET, s)).stream())
                .toList();
    }
}
