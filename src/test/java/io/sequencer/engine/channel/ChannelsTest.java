package io.sequencer.engine.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.domain.subscriber.Subscriber;
import io.sequencer.engine.channel.messenger.MessengerRules;
import io.sequencer.engine.channel.webhook.WebhookRules;
import io.sequencer.engine.send.SendGate;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link Channels} is the one place a channel type is registered, and the send rules come from it. */
class ChannelsTest {
    private static final Instant NOW = Instant.parse("2026-03-01T09:00:00Z");
    private static final ChannelConfig.Messenger PAGE = new ChannelConfig.Messenger("123", "PAGE_TOKEN", "21.0");
    private static final ChannelConfig.Webhook HOOK = new ChannelConfig.Webhook(URI.create("https://host.example/hook"),
            Optional.empty());

    @Test
    void every_kind_of_channel_configuration_is_registered_exactly_once() {
        List<Class<?>> kinds = Arrays.asList(ChannelConfig.class.getPermittedSubclasses());
        assertThat(kinds).isNotEmpty();
        assertThat(Channels.ALL.types()).containsExactlyInAnyOrderElementsOf(kinds.stream()
                .map(k -> k.asSubclass(ChannelConfig.class)).toList());
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
        assertThat(Channels.ALL.hold(PAGE, outsideWindow))
                .contains(new SendGate.Verdict.Skip(MessengerRules.OUTSIDE_WINDOW));
        assertThat(SendGate.OPEN.checkBroadcast(PAGE, Optional.empty(), noProfile, NOW))
                .isEqualTo(new SendGate.Verdict.Skip(MessengerRules.OUTSIDE_WINDOW));
        assertThat(Channels.ALL.hold(HOOK, outsideWindow)).isEmpty();
        assertThat(SendGate.OPEN.checkBroadcast(HOOK, Optional.empty(), noProfile, NOW))
                .isEqualTo(new SendGate.Verdict.Go(Optional.empty()));
    }

    @Test
    void the_same_recipient_is_decided_by_the_channels_own_rules() {
        ChannelConfig.Messenger samePage = new ChannelConfig.Messenger("123", "OTHER_TOKEN", "21.0");
        ChannelConfig.Messenger otherPage = new ChannelConfig.Messenger("456", "PAGE_TOKEN", "21.0");
        ChannelConfig.SendGrid news = new ChannelConfig.SendGrid("KEY", "news@example.com", Optional.empty());
        ChannelConfig.SendGrid offers = new ChannelConfig.SendGrid("KEY", "offers@example.com", Optional.empty());
        assertThat(Channels.ALL.sameRecipient(PAGE, samePage)).isTrue();
        assertThat(Channels.ALL.sameRecipient(PAGE, otherPage)).isFalse();
        assertThat(Channels.ALL.sameRecipient(news, offers)).isTrue();
        assertThat(Channels.ALL.sameRecipient(HOOK, PAGE)).isFalse();
        assertThat(Channels.ALL.sameRecipient(HOOK, new ChannelConfig.Webhook(URI.create("https://host.example/other"),
                Optional.empty()))).isFalse();
    }
}
