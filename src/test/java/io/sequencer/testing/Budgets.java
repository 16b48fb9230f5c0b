package io.sequencer.testing;

import io.sequencer.channel.messenger.MessengerConfig;
import io.sequencer.channel.sendgrid.SendGridConfig;
import io.sequencer.engine.send.SendBudget;
import io.sequencer.testing.Budgets;
import java.time.Clock;
import java.util.Map;

/** Send budgets for tests, with the rates of the two platforms that publish one. */
public final class Budgets {
    private Budgets() {}

    /** Calls per second per Messenger page and per SendGrid sender, shared by {@code maxInstances}. */
    public static SendBudget of(double messengerPerPage, double sendGridPerSender, int maxInstances, Clock clock) {
        return new SendBudget(Map.of(MessengerConfig.TYPE, messengerPerPage, SendGridConfig.TYPE, sendGridPerSender),
                maxInstances, clock);
    }
}
