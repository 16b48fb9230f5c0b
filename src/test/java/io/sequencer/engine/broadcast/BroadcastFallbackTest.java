package io.sequencer.engine.broadcast;

import static io.sequencer.engine.broadcast.BroadcastsTest.ACCOUNT;
import static io.sequencer.engine.broadcast.BroadcastsTest.WEBHOOK;
import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.channel.messenger.MessengerConfig;
import io.sequencer.channel.sendgrid.SendGridConfig;
import io.sequencer.domain.broadcast.BroadcastReport;
import io.sequencer.domain.broadcast.BroadcastTime;
import io.sequencer.domain.broadcast.Recipient;
import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.domain.channel.ChannelRoute;
import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.engine.send.SendResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A Messenger broadcast with fallback channels: a subscriber outside the 24-hour window gets it by e-mail, or by the
 * host's webhook without an address; a failure is retried on the channel the send went to; the report counts the
 * sends by channel.
 */
class BroadcastFallbackTest {
    private static final ChannelConfig PAGE = new MessengerConfig("1234", "PAGE_TOKEN", "21.0");
    private static final ChannelConfig MAIL = new SendGridConfig("SENDGRID_KEY", "news@acme.example", Optional.empty());
    private static final String EMAIL = "{\"subject\":\"Sale\",\"text\":\"Sale!\"}";
    private final BroadcastsTest.Fixture f = new BroadcastsTest.Fixture();

    BroadcastFallbackTest() {
        f.subscriber("ann", Optional.empty(), Map.of("email", Optional.of(new AttributeValue.Text("ann@example.com"))));
        f.subscriber("bob", Optional.empty(), Map.of());
    }

    private void schedule() {
        f.broadcasts.schedule(ACCOUNT, "sale", new BroadcastRequest(new BroadcastTime.At(f.clock.instant()), PAGE,
                "{\"text\":\"Sale!\"}", Optional.empty(), List.of(), true, Optional.empty(), false, false,
                ChannelRoute.fallingBackTo(List.of(new ChannelRoute.Fallback(MAIL, Optional.of(EMAIL)),
                        new ChannelRoute.Fallback(WEBHOOK, Optional.empty())))));
    }

    private BroadcastsTest.Fixture.Sent sentTo(String subscriberId) {
        return f.sent.stream().filter(s -> s.subscriberId().equals(subscriberId)).reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void outside_the_window_each_subscriber_gets_it_on_the_first_channel_that_reaches_them() {
        schedule();
        f.runAll();

        assertThat(f.sendsBySubscriber()).isEqualTo(Map.of("ann", 1L, "bob", 1L));
        assertThat(sentTo("ann").delivery().email()).contains("ann@example.com");
        assertThat(sentTo("ann").delivery().message()).isEqualTo(EMAIL);
        assertThat(sentTo("bob").delivery().email()).isEmpty();
        assertThat(sentTo("bob").delivery().message()).isEqualTo("{\"text\":\"Sale!\"}");
        BroadcastReport report = f.broadcasts.get(ACCOUNT, "sale");
        assertThat(report.sent()).isEqualTo(2);
        assertThat(report.sentByChannel()).isEqualTo(Map.of("sendgrid", 1L, "webhook", 1L));
        Recipient ann = f.store.recipient(ACCOUNT, "sale", "ann").orElseThrow().value();
        assertThat(ann.channel()).contains("sendgrid");
        assertThat(ann.pin()).hasValueSatisfying(pin -> assertThat(pin.stop()).isEqualTo(1));
    }

    @Test
    void a_transient_failure_is_retried_on_the_channel_the_send_went_to_under_the_same_id() {
        f.script.add(new SendResult.TransientFailure("503", null));
        f.broadcasts.schedule(ACCOUNT, "sale", new BroadcastRequest(new BroadcastTime.At(f.clock.instant()), PAGE,
                "{\"text\":\"Sale!\"}", Optional.empty(), List.of(io.sequencer.domain.broadcast.AudienceMember.of("ann")),
                false, Optional.empty(), false, false,
                ChannelRoute.fallingBackTo(List.of(new ChannelRoute.Fallback(MAIL, Optional.of(EMAIL))))));
        f.runAll();

        List<BroadcastsTest.Fixture.Sent> sends = List.copyOf(f.sent);
        assertThat(sends).hasSize(2);
        assertThat(sends).allSatisfy(s -> assertThat(s.delivery().email()).contains("ann@example.com"));
        assertThat(sends.get(1).deliveryId()).isEqualTo(sends.get(0).deliveryId());
        assertThat(f.broadcasts.get(ACCOUNT, "sale").sentByChannel()).isEqualTo(Map.of("sendgrid", 1L));
    }
}
