package io.sequencer.engine.send;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.channel.messenger.MessengerConfig;
import io.sequencer.channel.sendgrid.SendGridConfig;
import io.sequencer.channel.webhook.WebhookConfig;
import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.domain.channel.ChannelRoute;
import io.sequencer.domain.enrollment.RoutePin;
import io.sequencer.engine.send.SendGate.Verdict;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pure rule of which channel of a route a message goes on. */
class ChannelChoiceTest {
    private static final ChannelConfig PAGE = new MessengerConfig("1234", "PAGE_TOKEN", "21.0");
    private static final ChannelConfig MAIL = new SendGridConfig("SENDGRID_KEY", "news@acme.example", Optional.empty());
    private static final ChannelConfig HOOK = new WebhookConfig(URI.create("https://host.example/hook"), Optional.empty());
    private static final List<ChannelRoute.Stop> ROUTE = new ChannelRoute(Optional.empty(), List.of(
            new ChannelRoute.Fallback(MAIL, Optional.of("{\"subject\":\"Hi\",\"text\":\"Hi\"}")),
            new ChannelRoute.Fallback(HOOK, Optional.empty()))).stops(PAGE, "{\"text\":\"Hi\"}");
    private static final Verdict GO = new Verdict.Go(Optional.empty());
    private static final Verdict.Skip CLOSED = new Verdict.Skip("outside_messaging_window");
    private static final Verdict.Skip NO_EMAIL = new Verdict.Skip("no_email_address");

    private final List<String> asked = new ArrayList<>();

    private ChannelChoice.Choice choose(Optional<RoutePin> pin, Map<ChannelConfig, Verdict> verdicts) {
        return ChannelChoice.choose(ROUTE, pin, stop -> {
            asked.add(stop.channel().type());
            return verdicts.get(stop.channel());
        });
    }

    @Test
    void the_first_channel_that_would_not_skip_is_chosen_and_later_ones_are_not_asked() {
        ChannelChoice.Choice choice = choose(Optional.empty(), Map.of(PAGE, CLOSED, MAIL, GO, HOOK, GO));
        assertThat(choice.stop().channel()).isEqualTo(MAIL);
        assertThat(choice.stop().message()).isEqualTo("{\"subject\":\"Hi\",\"text\":\"Hi\"}");
        assertThat(choice.verdict()).isEqualTo(GO);
        assertThat(choice.passedOver()).containsExactly("outside_messaging_window");
        assertThat(choice.fellBack()).isTrue();
        assertThat(asked).containsExactly("messenger", "sendgrid");
    }

    @Test
    void a_fallback_without_a_message_of_its_own_carries_the_steps() {
        ChannelChoice.Choice choice = choose(Optional.empty(), Map.of(PAGE, CLOSED, MAIL, NO_EMAIL, HOOK, GO));
        assertThat(choice.stop().channel()).isEqualTo(HOOK);
        assertThat(choice.stop().message()).isEqualTo("{\"text\":\"Hi\"}");
        assertThat(choice.passedOver()).containsExactly("outside_messaging_window", "no_email_address");
    }

    @Test
    void a_channel_that_would_send_keeps_the_message_on_it() {
        ChannelChoice.Choice choice = choose(Optional.empty(), Map.of(PAGE, GO, MAIL, GO, HOOK, GO));
        assertThat(choice.stop().index()).isZero();
        assertThat(choice.fellBack()).isFalse();
        assertThat(asked).containsExactly("messenger");
    }

    @Test
    void a_hold_is_not_a_skip_the_message_waits_on_its_channel() {
        Verdict held = new Verdict.Hold(Instant.parse("2026-03-01T10:00:00Z"), "a person from the page is talking");
        ChannelChoice.Choice choice = choose(Optional.empty(), Map.of(PAGE, held, MAIL, GO, HOOK, GO));
        assertThat(choice.stop().channel()).isEqualTo(PAGE);
        assertThat(choice.verdict()).isEqualTo(held);
        assertThat(asked).containsExactly("messenger");
    }

    @Test
    void when_every_channel_would_skip_the_message_is_skipped_for_the_first_channels_reason() {
        Verdict.Skip hookSkip = new Verdict.Skip("other");
        ChannelChoice.Choice choice = choose(Optional.empty(), Map.of(PAGE, CLOSED, MAIL, NO_EMAIL, HOOK, hookSkip));
        assertThat(choice.verdict()).isEqualTo(CLOSED);
        assertThat(choice.passedOver()).containsExactly("outside_messaging_window", "no_email_address", "other");
    }

    @Test
    void a_delivery_pinned_to_a_channel_asks_that_channel_alone_even_when_an_earlier_one_would_send_now() {
        ChannelChoice.Choice choice = choose(Optional.of(RoutePin.chosen("dlv_1", 1)), Map.of(PAGE, GO, MAIL, GO, HOOK, GO));
        assertThat(choice.stop().channel()).isEqualTo(MAIL);
        assertThat(asked).containsExactly("sendgrid");
    }

    @Test
    void a_pinned_channel_that_would_now_skip_skips_the_message_rather_than_moving_it() {
        ChannelChoice.Choice choice = choose(Optional.of(RoutePin.chosen("dlv_1", 1)),
                Map.of(PAGE, GO, MAIL, NO_EMAIL, HOOK, GO));
        assertThat(choice.verdict()).isEqualTo(NO_EMAIL);
        assertThat(asked).containsExactly("sendgrid");
    }

    @Test
    void a_pin_from_a_stop_never_asks_the_channels_before_it() {
        ChannelChoice.Choice choice = choose(Optional.of(RoutePin.from("dlv_1", 1)),
                Map.of(PAGE, GO, MAIL, NO_EMAIL, HOOK, GO));
        assertThat(choice.stop().channel()).isEqualTo(HOOK);
        assertThat(asked).containsExactly("sendgrid", "webhook");
    }

    @Test
    void a_pin_past_the_end_of_a_shortened_route_skips_the_message() {
        ChannelChoice.Choice choice = choose(Optional.of(RoutePin.chosen("dlv_1", 5)), Map.of(PAGE, GO, MAIL, GO, HOOK, GO));
        assertThat(choice.verdict()).isEqualTo(new Verdict.Skip(ChannelChoice.CHANNEL_REMOVED));
        assertThat(asked).isEmpty();
    }
}
