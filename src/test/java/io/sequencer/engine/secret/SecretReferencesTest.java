package io.sequencer.engine.secret;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.channel.messenger.MessengerConfig;
import io.sequencer.channel.webhook.WebhookConfig;
import io.sequencer.domain.broadcast.Audience;
import io.sequencer.domain.broadcast.Broadcast;
import io.sequencer.domain.broadcast.BroadcastTime;
import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.domain.notification.NoticeType;
import io.sequencer.domain.notification.NotificationSettings;
import io.sequencer.domain.sequence.Delay;
import io.sequencer.domain.sequence.DelayUnit;
import io.sequencer.domain.sequence.Sequence;
import io.sequencer.domain.sequence.SequenceDraft;
import io.sequencer.domain.sequence.SequenceStatus;
import io.sequencer.domain.sequence.Step;
import io.sequencer.engine.broadcast.BroadcastSender;
import io.sequencer.testing.InMemoryBroadcastStore;
import io.sequencer.testing.InMemoryNotificationSettingsStore;
import io.sequencer.testing.InMemorySequenceStore;
import io.sequencer.testing.SteppingClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SecretReferencesTest {
    private final SteppingClock clock = SteppingClock.at("2026-03-01T09:00:00Z");
    private final InMemorySequenceStore sequences = new InMemorySequenceStore();
    private final InMemoryBroadcastStore broadcasts = new InMemoryBroadcastStore();
    private final InMemoryNotificationSettingsStore notifications = new InMemoryNotificationSettingsStore();
    private final SecretReferences references = new SecretReferences(sequences, broadcasts, notifications, clock);

    private static ChannelConfig webhook(String secret) {
        return new WebhookConfig(URI.create("https://host.example/hook"), Optional.empty(), Optional.of(secret));
    }

    private void sequence(String account, String id, ChannelConfig channel, SequenceStatus status) {
        SequenceDraft draft = new SequenceDraft("S", List.of(new Step("one", Delay.of(0, DelayUnit.SECONDS), "{}")), channel);
        sequences.create(Sequence.create(account, id, draft, clock.instant()).withStatus(status, clock.instant()));
    }

    private Broadcast broadcast(String account, String id, ChannelConfig channel) {
        Broadcast b = Broadcast.schedule(account, id, new BroadcastTime.At(clock.instant().plus(Duration.ofDays(1))),
                channel, "{\"text\":\"hi\"}", Optional.empty(), new Audience(0, "d0", true, Optional.empty()),
                clock.instant());
        broadcasts.create(b, List.of());
        return b;
    }

    @Test
    void sequences_that_may_still_send_broadcasts_to_come_and_notifications_name_a_secret() {
        sequence("acme", "active", webhook("hook"), SequenceStatus.ACTIVE);
        sequence("acme", "paused", new MessengerConfig("1234", Optional.empty(), "21.0", Optional.of("hook")),
                SequenceStatus.PAUSED);
        sequence("acme", "archived", webhook("hook"), SequenceStatus.ARCHIVED);
        sequence("acme", "other", webhook("other"), SequenceStatus.ACTIVE);
        broadcast("acme", "friday", webhook("hook"));
        Broadcast cancelled = broadcast("acme", "gone", webhook("hook"));
        broadcasts.replace(cancelled.cancel(clock.instant()), broadcasts.find("acme", "gone").orElseThrow().etag());
        Instant at = clock.instant();
        notifications.create(new NotificationSettings("acme", URI.create("https://host.example/n"), Optional.empty(),
                EnumSet.allOf(NoticeType.class), at, at, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of("hook")));

        assertThat(references.of("acme", "hook"))
                .containsExactly("sequence active", "sequence paused", "broadcast friday", "notification settings");
        assertThat(references.of("acme", "other")).containsExactly("sequence other");
        assertThat(references.of("acme", "unused")).isEmpty();
        assertThat(references.of("intruder", "hook")).as("only the account's own definitions count").isEmpty();
    }

    @Test
    void a_cancelled_broadcast_names_its_secret_while_a_sender_that_read_it_before_the_cancel_is_at_work() {
        Broadcast friday = broadcast("acme", "friday", webhook("hook"));
        broadcasts.openLease("acme", "friday", "sender-1", clock.instant().plus(BroadcastSender.LEASE));
        broadcasts.replace(friday.cancel(clock.instant()), broadcasts.find("acme", "friday").orElseThrow().etag());
        assertThat(references.of("acme", "hook")).containsExactly("broadcast friday");

        broadcasts.closeLease("acme", "friday", "sender-1");
        assertThat(references.of("acme", "hook")).isEmpty();
    }
}
