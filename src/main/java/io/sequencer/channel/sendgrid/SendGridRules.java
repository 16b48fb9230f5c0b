package io.sequencer.channel.sendgrid;

import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.domain.subscriber.Subscriber;
import io.sequencer.domain.Invalid;
import io.sequencer.engine.channel.ChannelRules;
import io.sequencer.engine.channel.TestRecipient;
import io.sequencer.engine.send.SendGate.Verdict;
import java.util.Optional;
import java.util.regex.Pattern;

/** E-mail through SendGrid: the recipient is the subscriber's {@code email} attribute, whoever the sender is. */
public final class SendGridRules implements ChannelRules<SendGridConfig> {
    /** Reason recorded for an e-mail to a subscriber without an e-mail address. */
    public static final String NO_EMAIL = "no_email_address";
    /** One address, as a person types it: a local part, an @, a domain with a dot; no spaces, no second @. */
    private static final Pattern ADDRESS = Pattern.compile("[^@\\s<>,;\"]{1,64}@[^@\\s<>,;\"]+\\.[^@\\s<>,;\".]+");
    private static final int MAX_ADDRESS = 254;

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

    /** A test goes to the tester's e-mail address ({@code to}), from the channel's sender. */
    @Override
    public TestRecipient testRecipient(SendGridConfig channel, String to) {
        if (to.length() > MAX_ADDRESS || !ADDRESS.matcher(to).matches()) {
            throw new Invalid("to", "must be one e-mail address (name@example.com) for an e-mail step");
        }
        return new TestRecipient(channel, Optional.empty(), Optional.of(to));
    }

    /** An address that bounces for good does so for every sender. */
    @Override
    public boolean sameRecipient(SendGridConfig failed, SendGridConfig other) {
        return true;
    }
}
