package io.sequencer.engine.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.channel.ChannelTypes;
import io.sequencer.channel.messenger.MessengerConfig;
import io.sequencer.channel.messenger.MessengerRules;
import io.sequencer.channel.sendgrid.SendGridConfig;
import io.sequencer.channel.webhook.WebhookConfig;
import io.sequencer.channel.webhook.WebhookRules;
import io.sequencer.domain.subscriber.Subscriber;
import io.sequencer.engine.send.SendGate;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link Channels} holds the rules of the channel types the engine was built with; the send rules come from it. */
class ChannelsTest {
    private static final Instant NOW = Instant.parse("2026-03-01T09:00:00Z");
    private static final MessengerConfig PAGE = new MessengerConfig("123", "PAGE_TOKEN", "21.0");
    private static final WebhookConfig HOOK = new WebhookConfig(URI.create("https://host.example/hook"),
            Optional.empty());

    @Test
    void the_engine_gets_the_rules_of_every_registered_channel_type_for_its_own_record() {
        assertThat(ChannelTypes.ALL.rules().types())
                .containsExactly(WebhookConfig.class, MessengerConfig.class, SendGridConfig.class);
    }

    @Test
    void a_channel_type_registered_twice_is_refused() {
        assertThatThrownBy(() -> new Channels(List.of(new WebhookRules(), new MessengerRules(), new WebhookRules())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Webhook");
    }

    @Test
    void a_channel_without_rules_is_an_error_not_a_silent_send() {
        Channels webhookOnly = new Channels(List.of(new WebhookRules()));
        assertThatThrownBy(() -> webhookOnly.recipient(PAGE, Optional.empty()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Messenger");
    }

    @Test
    void the_gate_takes_a_channels_message_rules_from_its_registered_rules() {
        Optional<Subscriber> noProfile = Optional.empty();
        ChannelRules.Message outsideWindow = new ChannelRules.Message(Optional.empty(), noProfile, Instant.EPOCH, false,
                NOW, Duration.ofMinutes(30));
        assertThat(ChannelTypes.ALL.rules().hold(PAGE, outsideWindow))
                .contains(new SendGate.Verdict.Skip(MessengerRules.OUTSIDE_WINDOW));
        assertThat(SendGate.open(ChannelTypes.ALL.rules()).checkBroadcast(PAGE, Optional.empty(), noProfile, NOW))
                .isEqualTo(new SendGate.Verdict.Skip(MessengerRules.OUTSIDE_WINDOW));
        assertThat(ChannelTypes.ALL.rules().hold(HOOK, outsideWindow)).isEmpty();
        assertThat(SendGate.open(ChannelTypes.ALL.rules()).checkBroadcast(HOOK, Optional.empty(), noProfile, NOW))
                .isEqualTo(new SendGate.Verdict.Go(Optional.empty()));
    }

    @Test
    void the_same_recipient_is_decided_by_the_channels_own_rules() {
        MessengerConfig samePage = new MessengerConfig("123", "OTHER_TOKEN", "21.0");
        MessengerConfig otherPage = new MessengerConfig("456", "PAGE_TOKEN", "21.0");
        SendGridConfig news = new SendGridConfig("KEY", "news@example.com", Optional.empty());
        SendGridConfig offers = new SendGridConfig("KEY", "offers@example.com", Optional.empty());
        assertThat(ChannelTypes.ALL.rules().sameRecipient(PAGE, samePage)).isTrue();
        assertThat(ChannelTypes.ALL.rules().sameRecipient(PAGE, otherPage)).isFalse();
        assertThat(ChannelTypes.ALL.rules().sameRecipient(news, offers)).isTrue();
        assertThat(ChannelTypes.ALL.rules().sameRecipient(HOOK, PAGE)).isFalse();
        assertThat(ChannelTypes.ALL.rules().sameRecipient(HOOK, new WebhookConfig(URI.create("https://host.example/other"),
                Optional.empty()))).isFalse();
    }
}
