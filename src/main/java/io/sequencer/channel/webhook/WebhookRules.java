package io.sequencer.channel.webhook;

import io.sequencer.domain.Invalid;
import io.sequencer.engine.channel.ChannelRules;
import io.sequencer.engine.channel.TestRecipient;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/** A webhook: no platform rules; the host's URL alone is its recipient. */
public final class WebhookRules implements ChannelRules<WebhookConfig> {
    @Override
    public Class<WebhookConfig> config() {
        return WebhookConfig.class;
    }

    /** The payload carries the subscriber's id only; nothing of the profile decides whether or where it goes. */
    @Override
    public boolean needsProfile() {
        return false;
    }

    /**
     * A test goes to the tester's own URL ({@code to}, absolute http or https), signed with the channel's secret as
     * a step would be; whether its host may be reached is the address guard's to say.
     */
    @Override
    public TestRecipient testRecipient(WebhookConfig channel, String to) {
        try {
            URI url = new URI(to);
            return new TestRecipient(new WebhookConfig(url, channel.secretSetting(), channel.secret()),
                    Optional.empty(), Optional.empty());
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new Invalid("to", "must be an absolute http or https URL for a webhook step");
        }
    }
}
