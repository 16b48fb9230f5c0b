package io.sequencer.engine.send;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.channel.ChannelTypes;
import io.sequencer.channel.messenger.MessengerConfig;
import io.sequencer.channel.sendgrid.SendGridConfig;
import io.sequencer.channel.webhook.WebhookConfig;
import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.domain.subscriber.Subscriber;
import io.sequencer.engine.channel.Channels;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PersonalisedTest {
    private static final Channels CHANNELS = ChannelTypes.ALL.rules();
    private static final MessengerConfig PAGE = new MessengerConfig("123", "PAGE_TOKEN", "21.0");
    private static final WebhookConfig HOOK = new WebhookConfig(URI.create("https://host.example/hook"), Optional.empty());
    private static final Instant NOW = Instant.parse("2026-03-01T09:00:00Z");
    private static final String THRICE = "{\"text\":\"{{ subscriber.attributes.bio }}{{ subscriber.attributes.bio }}"
            + "{{ subscriber.attributes.bio }}\"}";

    private static Optional<Subscriber> withBio(int length) {
        return Optional.of(Subscriber.create("acme", "ann", NOW).updated(
                Map.of("bio", Optional.of(new AttributeValue.Text("y".repeat(length)))), Optional.empty(), NOW));
    }

    private static Personalised broadcast(String message, Optional<Subscriber> profile,
                                          ChannelConfig channel) {
        return Personalised.broadcast(message, "acme", "ann", profile, ZoneOffset.UTC, NOW, CHANNELS, channel);
    }

    @Test
    void a_messenger_text_rendered_past_2000_characters_is_refused() {
        Personalised tooLong = broadcast(THRICE, withBio(700), PAGE);

        assertThat(tooLong.failure()).contains(
                "personalised message refused: message.text renders 2100 characters; Messenger takes at most 2000");
        assertThat(broadcast(THRICE, withBio(600), PAGE).failure()).isEmpty();
        assertThat(broadcast(THRICE, withBio(700), HOOK).failure()).as("a webhook has no such limit").isEmpty();
    }

    @Test
    void an_emails_subject_and_dynamic_template_data_are_rendered() {
        SendGridConfig mail = new SendGridConfig("SENDGRID_KEY", "news@acme.example", Optional.empty());
        String message = "{\"templateId\":\"d-1\",\"subject\":\"{{ subscriber.attributes.bio | size }} for you\","
                + "\"dynamicTemplateData\":{\"who\":\"{{ subscriber.id | upcase }}\",\"n\":3}}";

        assertThat(broadcast(message, withBio(4), mail).text()).isEqualTo(
                "{\"templateId\":\"d-1\",\"subject\":\"4 for you\",\"dynamicTemplateData\":{\"who\":\"ANN\",\"n\":3}}");
    }

    @Test
    void a_message_without_templates_is_the_message_itself() {
        String plain = "{\"text\":\"Hi } there\"}";

        Personalised same = broadcast(plain, Optional.empty(), PAGE);

        assertThat(same.text()).isSameAs(plain);
        assertThat(same.failure()).isEmpty();
    }
}
