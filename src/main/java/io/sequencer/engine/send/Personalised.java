package io.sequencer.engine.send;

import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.subscriber.Attributes;
import io.sequencer.domain.subscriber.Subscriber;
import io.sequencer.domain.template.MessageTemplate;
import io.sequencer.domain.template.TemplateFailure;
import io.sequencer.domain.template.TemplateValues;
import io.sequencer.engine.channel.Channels;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A message as it goes to one subscriber: its templates rendered and what they made checked by the channel's rules,
 * or why it cannot go (a permanent failure of that one send). A message without templates is the message itself,
 * with no work done.
 */
public record Personalised(String text, Optional<String> failure) {

    /** Step {@code stepId}'s {@code message} for {@code enrollment}'s subscriber ({@code profile}) in {@code zone}. */
    public static Personalised step(String message, Enrollment enrollment, String stepId, Optional<Subscriber> profile,
                                    ZoneId zone, Instant now, Channels channels, ChannelConfig channel) {
        return render(message, () -> TemplateValues.forStep(enrollment, stepId, attributes(profile), zone, now),
                channels, channel);
    }

    /** A broadcast's {@code message} for {@code subscriberId} of {@code account} ({@code profile}) in {@code zone}. */
    public static Personalised broadcast(String message, String account, String subscriberId,
                                         Optional<Subscriber> profile, ZoneId zone, Instant now, Channels channels,
                                         ChannelConfig channel) {
        return render(message, () -> TemplateValues.forBroadcast(account, subscriberId, attributes(profile), zone, now),
                channels, channel);
    }

    private static Personalised render(String message, Supplier<TemplateValues> values, Channels channels,
                                       ChannelConfig channel) {
        if (!MessageTemplate.isTemplate(message)) {
            return new Personalised(message, Optional.empty());
        }
        String rendered;
        try {
            rendered = MessageTemplate.renderMessage(message, values.get());
        } catch (TemplateFailure failure) {
            return new Personalised(message, Optional.of("message template failed: " + failure.described()));
        }
        Optional<String> refused = channels.refuseRendered(channel, rendered);
        return refused.isPresent()
                ? new Personalised(message, Optional.of("personalised message refused: " + refused.get()))
                : new Personalised(rendered, Optional.empty());
    }

    private static Attributes attributes(Optional<Subscriber> profile) {
        return profile.map(Subscriber::attributes).orElse(Attributes.NONE);
    }
}
