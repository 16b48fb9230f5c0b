package io.sequencer.domain.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.channel.messenger.MessengerConfig;
import io.sequencer.channel.messenger.MessengerRules;
import io.sequencer.channel.sendgrid.SendGridConfig;
import io.sequencer.channel.sendgrid.SendGridRules;
import io.sequencer.channel.webhook.WebhookConfig;
import io.sequencer.channel.webhook.WebhookRules;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChannelConfigTest {
    private static final URI HOOK = URI.create("https://host.example/hook");

    @Test
    void a_webhook_keeps_the_secret_it_names_and_treats_a_missing_one_as_none() {
        WebhookConfig bySetting = new WebhookConfig(HOOK, Optional.of("HOOK_SECRET"));
        WebhookConfig byAccountSecret = new WebhookConfig(HOOK, null, Optional.of("hook-secret"));

        assertThat(bySetting.secretSetting()).contains("HOOK_SECRET");
        assertThat(bySetting.accountSecret()).isEmpty();
        assertThat(byAccountSecret.secretSetting()).isEmpty();
        assertThat(byAccountSecret.accountSecret()).contains("hook-secret");
        assertThat(new WebhookConfig(HOOK, null, null).secret()).isEmpty();
    }

    @Test
    void a_blank_token_or_key_setting_names_nothing_so_one_is_still_required() {
        assertThatThrownBy(() -> new MessengerConfig("123", " ", "21.0")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new MessengerConfig("123", "PAGE_TOKEN", "21.0").pageTokenSetting()).contains("PAGE_TOKEN");
        assertThatThrownBy(() -> new SendGridConfig(" ", "news@acme.example", Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new SendGridConfig("SENDGRID_KEY", "news@acme.example", Optional.empty()).apiKeySetting())
                .contains("SENDGRID_KEY");
    }

    @Test
    void the_account_secret_a_channel_names_is_its_token_or_key() {
        assertThat(new SendGridConfig(Optional.empty(), "news@acme.example", Optional.empty(),
                Optional.of("sendgrid-key")).accountSecret()).contains("sendgrid-key");
        assertThat(new MessengerConfig("123", Optional.empty(), "21.0", Optional.of("page-token")).accountSecret())
                .contains("page-token");
        assertThat(new SendGridConfig("SENDGRID_KEY", "news@acme.example", Optional.empty()).accountSecret())
                .isEmpty();
    }

    @Test
    void only_a_webhook_sends_without_the_subscribers_profile() {
        assertThat(new WebhookRules().needsProfile()).isFalse();
        assertThat(new MessengerRules().needsProfile()).isTrue();
        assertThat(new SendGridRules().needsProfile()).isTrue();
    }
}
