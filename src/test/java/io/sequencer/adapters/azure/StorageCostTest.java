package io.sequencer.adapters.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.queue.QueueClient;
import io.sequencer.adapters.json.TickCodec;
import io.sequencer.adapters.json.stored.StoredChannelForms;
import io.sequencer.channel.ChannelTypes;
import io.sequencer.channel.sendgrid.SendGridConfig;
import io.sequencer.channel.webhook.WebhookConfig;
import io.sequencer.domain.enrollment.EnrollmentData;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.enrollment.Origin;
import io.sequencer.domain.limit.FrequencyCap;
import io.sequencer.domain.limit.FrequencyLimits;
import io.sequencer.domain.notification.NoticeType;
import io.sequencer.domain.sequence.Delay;
import io.sequencer.domain.sequence.DelayUnit;
import io.sequencer.domain.sequence.SequenceDraft;
import io.sequencer.domain.sequence.Step;
import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.domain.subscriber.EventType;
import io.sequencer.domain.subscriber.SubscriberEvent;
import io.sequencer.engine.Sequencer;
import io.sequencer.engine.enrollment.EnrollRequest;
import io.sequencer.engine.event.Events;
import io.sequencer.engine.subscriber.Timeline;
import io.sequencer.engine.subscriber.TimelinePage;
import io.sequencer.engine.tick.TickOutcome;
import io.sequencer.testing.Azurite;
import io.sequencer.testing.RecordingChannel;
import io.sequencer.testing.RecordingNoticeSender;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Storage transactions are what Azure bills and what carries over from the emulator unchanged: the engine on
 * the real adapters, counted by the SDK pipeline policy. (The trigger's own get and delete come on top.)
 */
class StorageCostTest {
    private static final StoredChannelForms STORED_CHANNELS = ChannelTypes.ALL.storedForms();

    @Test
    void a_first_enrollment_costs_four_transactions_another_sequence_six_a_repeat_five_and_a_delivered_step_five() {
        StorageClients storage = Azurite.shared().clients();
        String queueName = AzureContractsTest.unique("cost-");
        String sequences = AzureContractsTest.unique("seq");
        String enrollmentsTable = AzureContractsTest.unique("enr");
        String subscribersTable = AzureContractsTest.unique("sub");
        storage.ensureExists(queueName, sequences, enrollmentsTable, subscribersTable);
        QueueClient queue = storage.queue(queueName);
        var sequenceStore = new TableSequenceStore(storage.table(sequences), STORED_CHANNELS);
        var enrollmentStore = new TableEnrollmentStore(storage.table(enrollmentsTable));
        var timers = new QueueTimerQueue(queue, Clock.systemUTC());
        Clock clock = Clock.systemUTC();
        var subscriberStore = new TableSubscriberStore(storage.table(subscribersTable));
        Sequencer engine = Sequencer.builder().clock(clock).stores(sequenceStore, enrollmentStore, subscriberStore)
                .timers(timers).channelTypes(ChannelTypes.ALL.rules()).channel(new RecordingChannel()).build();
        engine.sequences().define("acme", "welcome", new SequenceDraft("n", List.of(
                new Step("a", Delay.of(0, DelayUnit.SECONDS), "{}"),
                new Step("b", Delay.of(1, DelayUnit.DAYS), "{}")),
                new WebhookConfig(URI.create("http://h/x"), Optional.empty())));
        var enrollments = engine.enrollments();
        var ticks = engine.ticks();

        long before = total(storage);
        enrollments.enroll(new EnrollmentKey("acme", "welcome", "ann"));
        assertThat(total(storage) - before).as("sequence read, subscriber insert, put, enrollment insert").isEqualTo(4);
        engine.sequences().define("acme", "other", new SequenceDraft("n", List.of(
                new Step("a", Delay.of(1, DelayUnit.DAYS), "{}")), new WebhookConfig(URI.create("http://h/x"), Optional.empty())));
        before = total(storage);
        enrollments.enroll(new EnrollmentKey("acme", "other", "ann"));
        assertThat(total(storage) - before)
                .as("sequence read, subscriber insert refused, read and conditional write, put, enrollment insert")
                .isEqualTo(6);
        before = total(storage);
        enrollments.enroll(new EnrollmentKey("acme", "other", "ann"));
        assertThat(total(storage) - before)
                .as("a repeat: sequence read, subscriber insert refused and read, enrollment and subscriber reads")
                .isEqualTo(5);

        var message = queue.receiveMessage();
        before = total(storage);
        Map<String, StorageTransactionCounter.RequestTimes> timesBefore = storage.requestTimes();
        TickOutcome outcome = ticks.handle(TickCodec.decode(message.getBody().toString()));
        assertThat(outcome).isInstanceOf(TickOutcome.Done.class);
        assertThat(total(storage) - before)
                .as("enrollment read, sequence read, profile read for the opt-out, put next, conditional write")
                .isEqualTo(5);
        assertThat(StorageTransactionCounter.since(timesBefore, storage.requestTimes()).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().requests())))
                .as("three point reads, the next tick's put and the write with the tally row, each timed by its kind")
                .isEqualTo(Map.of("table GET row", 3L, "queue POST messages", 1L, "table POST $batch", 1L));
    }

    @Test
    void a_step_whose_channel_reads_the_profile_checks_the_opt_out_without_another_read() {
        StorageClients storage = Azurite.shared().clients();
        String queueName = AzureContractsTest.unique("cost-");
        String sequences = AzureContractsTest.unique("seq");
        String enrollmentsTable = AzureContractsTest.unique("enr");
        String subscribersTable = AzureContractsTest.unique("sub");
        storage.ensureExists(queueName, sequences, enrollmentsTable, subscribersTable);
        QueueClient queue = storage.queue(queueName);
        Clock clock = Clock.systemUTC();
        var sequenceStore = new TableSequenceStore(storage.table(sequences), STORED_CHANNELS);
        var enrollmentStore = new TableEnrollmentStore(storage.table(enrollmentsTable));
        var subscriberStore = new TableSubscriberStore(storage.table(subscribersTable));
        var timers = new QueueTimerQueue(queue, clock);
        Sequencer.builder().clock(clock).stores(sequenceStore, enrollmentStore, subscriberStore).build().sequences()
                .define("acme", "mail", new SequenceDraft("n", List.of(
                new Step("a", Delay.of(0, DelayUnit.SECONDS), "{\"subject\":\"Hi\",\"text\":\"Hi\"}"),
                new Step("b", Delay.of(1, DelayUnit.DAYS), "{\"subject\":\"Hi\",\"text\":\"Hi\"}")),
                new SendGridConfig("SENDGRID_KEY", "news@acme.example", Optional.empty())));
        Sequencer engine = Sequencer.builder().clock(clock).stores(sequenceStore, enrollmentStore, subscriberStore)
                .timers(timers).channelTypes(ChannelTypes.ALL.rules()).channel(new RecordingChannel()).build();
        var enrollments = engine.enrollments();
        var ticks = engine.ticks();
        enrollments.enroll(new EnrollRequest(new EnrollmentKey("acme", "mail", "ann"), Optional.empty(),
                Map.of("email", Optional.of(new AttributeValue.Text("ann@example.com"))), Origin.HOST));

        var message = queue.receiveMessage();
        long before = total(storage);
        assertThat(ticks.handle(TickCodec.decode(message.getBody().toString()))).isInstanceOf(TickOutcome.Done.class);
        assertThat(total(storage) - before)
                .as("enrollment read, sequence read, profile read (for the address and the opt-out), put next, write")
                .isEqualTo(5);
    }

    @Test
    void a_templated_step_costs_the_same_transactions_as_a_plain_one() {
        StorageClients storage = Azurite.shared().clients();
        String queueName = AzureContractsTest.unique("cost-");
        String sequences = AzureContractsTest.unique("seq");
        String enrollmentsTable = AzureContractsTest.unique("enr");
        String subscribersTable = AzureContractsTest.unique("sub");
        storage.ensureExists(queueName, sequences, enrollmentsTable, subscribersTable);
        QueueClient queue = storage.queue(queueName);
        Clock clock = Clock.systemUTC();
        var sequenceStore = new TableSequenceStore(storage.table(sequences), STORED_CHANNELS);
        var enrollmentStore = new TableEnrollmentStore(storage.table(enrollmentsTable));
        var subscriberStore = new TableSubscriberStore(storage.table(subscribersTable));
        var timers = new QueueTimerQueue(queue, clock);
        RecordingChannel channel = new RecordingChannel();
        Sequencer engine = Sequencer.builder().clock(clock).stores(sequenceStore, enrollmentStore, subscriberStore)
                .timers(timers).channelTypes(ChannelTypes.ALL.rules()).channel(channel).build();
        // A webhook step needs no profile for its channel: the template is rendered from the opt-out check's read.
        String templated = "{\"text\":\"Hi {{ subscriber.attributes.first_name | default: 'friend' }}, "
                + "order {{ enrollment.data.orderId }}\"}";
        engine.sequences().define("acme", "welcome", new SequenceDraft("n", List.of(
                new Step("a", Delay.of(0, DelayUnit.SECONDS), templated),
                new Step("b", Delay.of(1, DelayUnit.DAYS), templated)),
                new WebhookConfig(URI.create("http://h/x"), Optional.empty())));
        engine.enrollments().enroll(new EnrollRequest(new EnrollmentKey("acme", "welcome", "ann"), Optional.empty(),
                Map.of("first_name", Optional.of(new AttributeValue.Text("Ann"))),
                Origin.host(new EnrollmentData(Map.of("orderId", "A-17")))));

        var message = queue.receiveMessage();
        long before = total(storage);
        assertThat(engine.ticks().handle(TickCodec.decode(message.getBody().toString())))
                .isInstanceOf(TickOutcome.Done.class);
        assertThat(total(storage) - before)
                .as("as a plain step: enrollment read, sequence read, profile read (for the opt-out and the template), "
                        + "put next, write")
                .isEqualTo(5);
        assertThat(channel.deliveries()).singleElement()
                .extracting(d -> d.message()).isEqualTo("{\"text\":\"Hi Ann, order A-17\"}");
    }

    @Test
    void notifications_add_a_signal_to_the_tick_and_four_transactions_per_delivered_step_to_the_dispatcher() {
        StorageClients storage = Azurite.shared().clients();
        String queueName = AzureContractsTest.unique("cost-");
        String noticeQueue = AzureContractsTest.unique("notices-");
        String sequences = AzureContractsTest.unique("seq");
        String enrollmentsTable = AzureContractsTest.unique("enr");
        String subscribersTable = AzureContractsTest.unique("sub");
        String settingsTable = AzureContractsTest.unique("ntf");
        storage.ensureExists(queueName, sequences, enrollmentsTable, subscribersTable, settingsTable);
        storage.ensureExists(noticeQueue);
        QueueClient queue = storage.queue(queueName);
        Clock clock = Clock.systemUTC();
        var sequenceStore = new TableSequenceStore(storage.table(sequences), STORED_CHANNELS);
        var enrollmentStore = new TableEnrollmentStore(storage.table(enrollmentsTable));
        var subscriberStore = new TableSubscriberStore(storage.table(subscribersTable));
        var settingsStore = new TableNotificationSettingsStore(storage.table(settingsTable));
        var signals = new QueueNoticeQueue(storage.queue(noticeQueue));
        var timers = new QueueTimerQueue(queue, clock);
        var sender = new RecordingNoticeSender();
        Sequencer engine = Sequencer.builder().clock(clock).stores(sequenceStore, enrollmentStore, subscriberStore)
                .timers(timers).channelTypes(ChannelTypes.ALL.rules()).channel(new RecordingChannel())
                .notices(settingsStore, signals).noticeSender(sender)
                .build();
        engine.sequences().define("acme", "welcome", new SequenceDraft("n", List.of(
                new Step("a", Delay.of(0, DelayUnit.SECONDS), "{}"),
                new Step("b", Delay.of(1, DelayUnit.DAYS), "{}")),
                new WebhookConfig(URI.create("http://h/x"), Optional.empty())));
        engine.notifications().define("acme", URI.create("http://h/notices"), Optional.empty(),
                EnumSet.allOf(NoticeType.class));
        var enrollments = engine.enrollments();
        var ticks = engine.ticks();
        var dispatcher = engine.noticeDispatcher();
        int subscribers = 32;
        for (int i = 0; i < subscribers; i++) {
            enrollments.enroll(new EnrollmentKey("acme", "welcome", "s" + i));
        }
        dispatcher.drain(Duration.ofSeconds(30));
        assertThat(sender.events()).hasSize(subscribers);

        var message = queue.receiveMessage();
        long before = total(storage);
        assertThat(ticks.handle(TickCodec.decode(message.getBody().toString()))).isInstanceOf(TickOutcome.Done.class);
        assertThat(total(storage) - before).as("the five of a plain tick, and the signal put").isEqualTo(6);
        for (var m : queue.receiveMessages(subscribers - 1)) {
            ticks.handle(TickCodec.decode(m.getBody().toString()));
        }
        before = total(storage);
        dispatcher.drain(Duration.ofSeconds(30));
        long dispatch = total(storage) - before;
        assertThat(sender.events()).hasSize(2 * subscribers);
        // Per step: signal delete, outbox read, outbox write; per drain: two queue reads and a settings read.
        assertThat(dispatch).isEqualTo(3L * subscribers + 3);
    }

    @Test
    void events_are_logged_in_one_batch_per_hundred_and_a_timeline_page_costs_a_read_per_sequence_and_one_query() {
        StorageClients storage = Azurite.shared().clients();
        String queueName = AzureContractsTest.unique("cost-");
        String sequences = AzureContractsTest.unique("seq");
        String enrollmentsTable = AzureContractsTest.unique("enr");
        String subscribersTable = AzureContractsTest.unique("sub");
        String eventsTable = AzureContractsTest.unique("evt");
        storage.ensureExists(queueName, sequences, enrollmentsTable, subscribersTable, eventsTable);
        Clock clock = Clock.systemUTC();
        var sequenceStore = new TableSequenceStore(storage.table(sequences), STORED_CHANNELS);
        var enrollmentStore = new TableEnrollmentStore(storage.table(enrollmentsTable));
        var subscriberStore = new TableSubscriberStore(storage.table(subscribersTable));
        var log = new TableEventLog(storage.table(eventsTable));
        var timers = new QueueTimerQueue(storage.queue(queueName), clock);
        Sequencer engine = Sequencer.builder().clock(clock).stores(sequenceStore, enrollmentStore, subscriberStore)
                .eventLog(log).timers(timers).build();
        var catalog = engine.sequences();
        for (String id : List.of("welcome", "offer")) {
            catalog.define("acme", id, new SequenceDraft("n", List.of(new Step("a", Delay.of(1, DelayUnit.DAYS), "{}")),
                    new WebhookConfig(URI.create("http://h/x"), Optional.empty())));
        }
        var enrollments = engine.enrollments();
        var events = engine.events();
        enrollments.enroll(new EnrollmentKey("acme", "welcome", "ann"));
        enrollments.enroll(new EnrollmentKey("acme", "offer", "ann"));

        // Goals no sequence names: each reads the profile, then each of the two sequences and its enrollment.
        List<SubscriberEvent> report = IntStream.range(0, 150).mapToObj(i -> new SubscriberEvent("ann",
                EventType.CONVERTED, Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("goal-" + i),
                Optional.empty(), Optional.empty(), Optional.empty())).toList();
        long before = total(storage);
        assertThat(events.recordAll("acme", report)).allMatch(r -> r instanceof Events.Recorded.Done);
        assertThat(total(storage) - before).as("150 times five reads, then two batches for the log").isEqualTo(150 * 5 + 2);
        before = total(storage);
        events.record("acme", report.get(0));
        assertThat(total(storage) - before).as("five reads and one upsert").isEqualTo(6);

        Timeline timeline = engine.timeline();
        before = total(storage);
        TimelinePage first = timeline.page("acme", "ann", 50, Optional.empty());
        assertThat(first.entries()).hasSize(50);
        assertThat(total(storage) - before).as("profile, two enrollments, one event query").isEqualTo(4);
        before = total(storage);
        assertThat(timeline.page("acme", "ann", 50, first.continuation()).entries()).hasSize(50);
        assertThat(total(storage) - before).as("the same for every page").isEqualTo(4);
    }

    @Test
    void a_frequency_cap_adds_a_log_read_and_write_per_step_and_none_adds_nothing() {
        StorageClients storage = Azurite.shared().clients();
        String queueName = AzureContractsTest.unique("cost-");
        String sequences = AzureContractsTest.unique("seq");
        String enrollmentsTable = AzureContractsTest.unique("enr");
        String subscribersTable = AzureContractsTest.unique("sub");
        String capsTable = AzureContractsTest.unique("cap");
        storage.ensureExists(queueName, sequences, enrollmentsTable, subscribersTable, capsTable);
        QueueClient queue = storage.queue(queueName);
        Clock clock = Clock.systemUTC();
        var sequenceStore = new TableSequenceStore(storage.table(sequences), STORED_CHANNELS);
        var enrollmentStore = new TableEnrollmentStore(storage.table(enrollmentsTable));
        var subscriberStore = new TableSubscriberStore(storage.table(subscribersTable));
        Sequencer engine = Sequencer.builder().clock(clock).stores(sequenceStore, enrollmentStore, subscriberStore)
                .timers(new QueueTimerQueue(queue, clock)).channelTypes(ChannelTypes.ALL.rules())
                .channel(new RecordingChannel()).caps(new TableCapStore(storage.table(capsTable))).build();
        for (String account : List.of("acme", "globex")) {
            engine.sequences().define(account, "welcome", new SequenceDraft("n", List.of(
                    new Step("a", Delay.of(0, DelayUnit.SECONDS), "{}"),
                    new Step("b", Delay.of(1, DelayUnit.DAYS), "{}")),
                    new WebhookConfig(URI.create("http://h/x"), Optional.empty())));
        }
        engine.caps().define(new FrequencyLimits("acme", List.of(new FrequencyCap(3, Duration.ofDays(1),
                Optional.empty())), FrequencyLimits.Over.HOLD, clock.instant()));
        int steps = 4;
        long none = 0;
        long capped = 0;
        for (int i = 0; i < steps; i++) {
            engine.enrollments().enroll(new EnrollmentKey("globex", "welcome", "s" + i));
            String tick = queue.receiveMessage().getBody().toString();
            long before = total(storage);
            assertThat(engine.ticks().handle(TickCodec.decode(tick))).isInstanceOf(TickOutcome.Done.class);
            none += total(storage) - before;
            engine.enrollments().enroll(new EnrollmentKey("acme", "welcome", "s" + i));
            tick = queue.receiveMessage().getBody().toString();
            before = total(storage);
            assertThat(engine.ticks().handle(TickCodec.decode(tick))).isInstanceOf(TickOutcome.Done.class);
            capped += total(storage) - before;
        }
        // The caps of each account are read once per 30 s and process: that one read is the +1 on each side.
        assertThat(none).as("no caps: the five of a plain step, and the caps looked up once").isEqualTo(5L * steps + 1);
        assertThat(capped).as("caps: the send log read and its conditional write per step").isEqualTo(7L * steps + 1);
    }

    private static long total(StorageClients storage) {
        return storage.queueTransactions() + storage.tableTransactions();
    }
}
