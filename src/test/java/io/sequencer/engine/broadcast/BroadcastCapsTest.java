package io.sequencer.engine.broadcast;

import static io.sequencer.engine.broadcast.BroadcastsTest.ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.channel.ChannelTypes;
import io.sequencer.domain.broadcast.BroadcastReport;
import io.sequencer.domain.limit.CapRule;
import io.sequencer.domain.limit.FrequencyCap;
import io.sequencer.domain.limit.FrequencyLimits;
import io.sequencer.domain.timer.RetryBackoff;
import io.sequencer.engine.limit.FrequencyCaps;
import io.sequencer.engine.send.SendGate;
import io.sequencer.testing.Budgets;
import io.sequencer.testing.InMemoryCapStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Broadcast sends count against the account's frequency caps, and are held or skipped by them like steps. */
class BroadcastCapsTest {
    private final BroadcastsTest.Fixture f = new BroadcastsTest.Fixture();
    private final InMemoryCapStore store = new InMemoryCapStore();
    private final FrequencyCaps caps = new FrequencyCaps(store, f.clock);

    BroadcastCapsTest() {
        f.sender = new BroadcastSender(f.store, f.subscriberStore, f.queue, f.channel,
                new SendGate(Duration.ofMinutes(30), Budgets.of(300, 100, 1, f.clock), ChannelTypes.ALL.rules())
                        .withCaps(caps),
                new RetryBackoff(Duration.ofSeconds(10), Duration.ofMinutes(5), 4), f.tokens, f.clock);
        f.subscriber("ann", Optional.empty(), Map.of());
        f.subscriber("bob", Optional.empty(), Map.of());
    }

    private void cap(FrequencyLimits.Over over) {
        caps.define(new FrequencyLimits(ACCOUNT, List.of(new FrequencyCap(1, Duration.ofDays(1), Optional.empty())),
                over, f.clock.instant()));
    }

    @Test
    void a_subscriber_at_the_cap_is_skipped_for_it_and_the_others_are_sent_and_counted() {
        cap(FrequencyLimits.Over.SKIP);
        // Ann had a sequence step a minute ago.
        assertThat(caps.admit(ACCOUNT, "ann", "webhook", "step-delivery", false)).isInstanceOf(CapRule.Verdict.Allowed.class);
        f.broadcasts.schedule(ACCOUNT, "promo", BroadcastsTest.at(f.clock.instant(), List.of(), true, Optional.empty()));

        f.runAll();

        assertThat(f.sendsBySubscriber()).isEqualTo(Map.of("bob", 1L));
        BroadcastReport report = f.broadcasts.get(ACCOUNT, "promo");
        assertThat(report.skipped()).isEqualTo(Map.of(FrequencyLimits.SKIP_REASON, 1L));
        assertThat(store.log(ACCOUNT, "bob").orElseThrow().value().entries()).hasSize(1);
        assertThat(caps.admit(ACCOUNT, "bob", "webhook", "a-later-step", false)).isInstanceOf(CapRule.Verdict.Skip.class);
    }

    @Test
    void with_hold_a_subscriber_at_the_cap_is_sent_the_broadcast_once_the_cap_allows() {
        cap(FrequencyLimits.Over.HOLD);
        Instant stepSent = f.clock.instant();
        caps.admit(ACCOUNT, "ann", "webhook", "step-delivery", false);
        f.broadcasts.schedule(ACCOUNT, "promo", BroadcastsTest.at(f.clock.instant(), List.of(), true, Optional.empty()));

        f.runAll();

        assertThat(f.sendsBySubscriber()).isEqualTo(Map.of("ann", 1L, "bob", 1L));
        BroadcastsTest.Fixture.Sent ann = f.sent.stream().filter(s -> s.subscriberId().equals("ann")).findFirst()
                .orElseThrow();
        assertThat(ann.at()).isEqualTo(stepSent.plus(Duration.ofDays(1)));
    }

    @Test
    void an_exempt_broadcast_goes_to_a_subscriber_at_the_cap_and_takes_no_place_under_it() {
        cap(FrequencyLimits.Over.SKIP);
        caps.admit(ACCOUNT, "ann", "webhook", "step-delivery", false);
        BroadcastRequest plain = BroadcastsTest.at(f.clock.instant(), List.of(), true, Optional.empty());
        f.broadcasts.schedule(ACCOUNT, "notice", new BroadcastRequest(plain.sendTime(), plain.channel(), plain.message(),
                plain.tag(), plain.listed(), plain.everyone(), plain.match(), false, true));

        f.runAll();

        assertThat(f.sendsBySubscriber()).isEqualTo(Map.of("ann", 1L, "bob", 1L));
        assertThat(store.log(ACCOUNT, "ann").orElseThrow().value().entries()).hasSize(1);
        assertThat(store.log(ACCOUNT, "bob")).isEmpty();
    }
}
