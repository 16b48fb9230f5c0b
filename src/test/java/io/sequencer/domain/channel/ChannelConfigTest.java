package io.sequencer.domain.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChannelConfigTest {
    private static final URI HOOK = URI.create("https://host.example/hook");

    @Test
    void a_webhook_keeps_the_secret_it_names_and_treats_a_missing_one_as_none() {
        ChannelConfig.Webhook bySetting = new ChannelConfig.Webhook(HOOK, Optional.of("HOOK_SECRET"));
        ChannelConfig.Webhook byAccountSecret = new ChannelConfig.Webhook(HOOK, null, Optional.of("hook-secret"));

        assertThat(bySetting.secretSetting()).contains("HOOK_SECRET");
        assertThat(bySetting.accountSecret()).isEmpty();
        assertThat(byAccountSecret.secretSetting()).isEmpty();
        assertThat(byAccountSecret.accountSecret()).contains("hook-secret");
        assertThat(new ChannelConfig.Webhook(HOOK, null, null).secret()).isEmpty();
    }

    @Test
    void a_blank_token_or_key_setting_names_nothing_so_one_is_still_required() {
        assertThatThrownBy(() -> new ChannelConfig.Messenger("123", " ", "21.0")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new ChannelConfig.Messenger("123", "PAGE_TOKEN", "21.0").pageTokenSetting()).contains("PAGE_TOKEN");
        assertThatThrownBy(() -> new ChannelConfig.SendGrid(" ", "news@acme.example", Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new ChannelConfig.SendGrid("SENDGRID_KEY", "news@acme.example", Optional.empty()).apiKeySetting())
                .contains("SENDGRID_KEY");
    }

    @Test
    void the_account_secret_a_channel_names_is_its_token_or_key() {
        assertThat(new ChannelConfig.SendGrid(Optional.empty(), "news@acme.example", Optional.empty(),
                Optional.of("sendgrid-key")).accountSecret()).contains("sendgrid-key");
        assertThat(new ChannelConfig.Messenger("123", Optional.empty(), "21.0", Optional.of("page-token")).accountSecret())
                .contains("page-token");
        assertThat(new ChannelConfig.SendGrid("SENDGRID_KEY", "news@acme.example", Optional.empty()).accountSecret())
                .isEmpty();
    }

    @Test
    void only_a_webhook_sends_without_the_subscribers_profile() {
        assertThat(new ChannelConfig.Webhook(HOOK, Optional.empty()).needsProfile()).isFalse();
        assertThat(new ChannelConfig.Messenger("123", "PAGE_TOKEN", "21.0").needsProfile()).isTrue();
        assertThat(new ChannelConfig.SendGrid("SENDGRID_KEY", "news@acme.example", Optional.empty()).needsProfile()).isTrue();
    }
}
