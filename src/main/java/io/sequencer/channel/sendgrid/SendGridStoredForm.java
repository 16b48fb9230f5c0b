package io.sequencer.channel.sendgrid;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.adapters.json.stored.StoredChannelForm;
import io.sequencer.adapters.json.stored.StoredNode;

/** A stored SendGrid channel: {@code apiKeySetting} or {@code apiKey}, {@code from} and {@code fromName}. */
final class SendGridStoredForm implements StoredChannelForm<SendGridConfig> {
    @Override
    public String type() {
        return SendGridConfig.TYPE;
    }

    @Override
    public Class<SendGridConfig> config() {
        return SendGridConfig.class;
    }

    @Override
    public SendGridConfig read(StoredNode in) {
        return new SendGridConfig(in.optionalText("apiKeySetting"), in.text("from"), in.optionalText("fromName"),
                in.optionalText("apiKey"));
    }

    @Override
    public void write(SendGridConfig sendGrid, ObjectNode out) {
        sendGrid.apiKeySetting().ifPresent(s -> out.put("apiKeySetting", s));
        sendGrid.apiKey().ifPresent(s -> out.put("apiKey", s));
        out.put("from", sendGrid.fromEmail());
        sendGrid.fromName().ifPresent(n -> out.put("fromName", n));
    }
}
