package io.sequencer.channel.sendgrid;

import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.domain.subscriber.Subscriber;
import io.sequencer.engine.channel.ChannelRules;
import io.sequencer.engine.send.SendGate.Verdict;
import java.util.Optional;

/** E-mail through SendGrid: the recipient is the subscriber's {@code email} attribute, whoever the sender is. */
public final class SendGridRules implements ChannelRules<SendGridConfig> {
    /** Reason recorded for an e-mail to a subscriber without an e-mail address. */
    public static final String NO_EMAIL = "no_email_address";

    @Override
    public Class<SendGridConfig> config() {
        return SendGridConfig.class;
    }

    @Override
    public Verdict recipient(SendGridConfig channel, Optional<Subscriber> profile) {
        Optional<String> email = profile.flatMap(p -> p.attributes().get("email"))
                .filter(v -> v instanceof AttributeValue.Text).map(v -> ((AttributeValue.Text) v).value())
                .filter(v -> v.contains("@"));
        return email.isEmpty() ? new Verdict.Skip(NO_EMAIL) : new Verdict.Go(email);
    }

    /** An address that bounces for good does so for every sender. */
    @Override
    public boolean sameRecipient(SendGridConfig failed, SendGridConfig other) {
        return true;
    }
}
