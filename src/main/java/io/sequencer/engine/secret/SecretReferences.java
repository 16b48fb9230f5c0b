package io.sequencer.engine.secret;

import io.sequencer.domain.broadcast.Broadcast;
import io.sequencer.domain.broadcast.BroadcastReport;
import io.sequencer.domain.broadcast.BroadcastStatus;
import io.sequencer.domain.sequence.Sequence;
import io.sequencer.domain.sequence.SequenceStatus;
import io.sequencer.engine.broadcast.BroadcastStore;
import io.sequencer.engine.broadcast.Broadcasts;
import io.sequencer.engine.notification.NotificationSettingsStore;
import io.sequencer.engine.sequence.SequenceStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What of an account names one of its secrets: its sequences that may still send (active, or paused and so
 * resumable; an archived one sends nothing more, and defining it again checks its secret again), its broadcasts
 * still to be sent (a sent or cancelled one sends nothing more; a cancelling one while a sender is at work), and its notification settings. Only read when a secret is deleted, so it may scan the account's definitions.
 */
public final class SecretReferences implements SecretUsers {
    private final SequenceStore sequences;
    private final BroadcastStore broadcasts;
    private final NotificationSettingsStore notifications;
    private final Clock clock;

    public SecretReferences(SequenceStore sequences, BroadcastStore broadcasts, NotificationSettingsStore notifications,
                            Clock clock) {
        this.sequences = sequences;
        this.broadcasts = broadcasts;
        this.notifications = notifications;
        this.clock = clock;
    }

    @Override
    public List<String> of(String account, String name) {
        Optional<String> wanted = Optional.of(name);
        List<String> users = new ArrayList<>();
        for (Sequence sequence : sequences.list(account)) {
            boolean names = sequence.channel().accountSecret().equals(wanted) || sequence.steps().stream()
                    .flatMap(step -> step.route().named().stream()).anyMatch(c -> c.accountSecret().equals(wanted));
            if (names && sequence.status() != SequenceStatus.ARCHIVED) {
                users.add("sequence " + sequence.id());
            }
        }
        for (Broadcast broadcast : broadcasts.list(account)) {
            boolean names = broadcast.channel().accountSecret().equals(wanted)
                    || broadcast.route().named().stream().anyMatch(c -> c.accountSecret().equals(wanted));
            if (names && stillSending(broadcast)) {
                users.add("broadcast " + broadcast.id());
            }
        }
        notifications.find(account).filter(s -> s.value().secret().equals(wanted))
                .ifPresent(s -> users.add("notification settings"));
        return users;
    }

    private boolean stillSending(Broadcast broadcast) {
        BroadcastStatus status = BroadcastReport.of(broadcast, broadcasts.tally(broadcast.account(), broadcast.id()),
                clock.instant()).status();
        if (status == BroadcastStatus.CANCELLING) {
            // A sender that read it before the cancel may still be sending with the secret.
            return Broadcasts.sendersAtWork(broadcasts, broadcast.account(), broadcast.id(), clock.instant());
        }
        return status == BroadcastStatus.SCHEDULED || status == BroadcastStatus.SENDING;
    }
}
