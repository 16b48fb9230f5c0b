package io.sequencer.bench;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.QueueMessageItem;
import io.sequencer.adapters.azure.QueueTimerQueue;
import io.sequencer.adapters.azure.StorageClients;
import io.sequencer.adapters.azure.TableEnrollmentStore;
import io.sequencer.adapters.azure.TableKeys;
import io.sequencer.adapters.azure.TableSequenceStore;
import io.sequencer.adapters.azure.TableSubscriberStore;
import io.sequencer.adapters.channel.HttpClients;
import io.sequencer.adapters.channel.SecretSettings;
import io.sequencer.adapters.channel.SystemHostResolver;
import io.sequencer.adapters.json.TickCodec;
import io.sequencer.channel.ChannelTypes;
import io.sequencer.channel.SenderKit;
import io.sequencer.channel.SettingReader;
import io.sequencer.channel.webhook.WebhookConfig;
import io.sequencer.domain.address.DestinationPolicy;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.sequence.Delay;
import io.sequencer.domain.sequence.DelayUnit;
import io.sequencer.domain.sequence.SequenceDraft;
import io.sequencer.domain.sequence.Step;
import io.sequencer.engine.Sequencer;
import io.sequencer.engine.enrollment.Enrollments;
import io.sequencer.engine.secret.SecretLookup;
import io.sequencer.engine.send.AddressGuard;
import io.sequencer.engine.tick.TickHandler;
import io.sequencer.engine.tick.TickOutcome;
import io.sequencer.functions.StorageNames;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one enroll and one tick cost with a given number of enrollments stored in the same table partition:
 * storage transactions (the app's counting policy) and wall time, one operation at a time, on the engine built
 * from the real adapters exactly as the composition root builds it, with each port call timed. The sequence has
 * two steps, so a probe tick is the typical one: it sends the first and schedules the second.
 */
final class PopulationCost {
    static final String SEQUENCE = "pop";

    record Probe(int population, int probes, double enrollTransactions, double enrollMillis, double tickQueueTransactions,
                 double tickTableTransactions, double tickMillis, Map<String, double[]> tickPortMillis) {}

    private final StorageClients counted;
    private final QueueClient harnessQueue;
    private final PortTimings timings = new PortTimings();
    private final Enrollments enrollments;
    private final TickHandler ticks;

    PopulationCost(String connectionString, String webhookUrl, String queueName) {
        counted = StorageClients.fromSettings(name -> name.equals(StorageClients.CONNECTION) ? connectionString : null);
        StorageClients harness = StorageClients.fromSettings(name -> name.equals(StorageClients.CONNECTION) ? connectionString : null);
        counted.ensureExists(queueName, StorageNames.SEQUENCES_TABLE, StorageNames.ENROLLMENTS_TABLE,
                StorageNames.SUBSCRIBERS_TABLE);
        harnessQueue = harness.queue(queueName);
        Clock clock = Clock.systemUTC();
        var sequenceStore = timings.sequences(new TableSequenceStore(counted.table(StorageNames.SEQUENCES_TABLE),
                ChannelTypes.ALL.storedForms()));
        var enrollmentStore = timings.enrollments(new TableEnrollmentStore(counted.table(StorageNames.ENROLLMENTS_TABLE)));
        var timers = timings.timers(new QueueTimerQueue(counted.queue(queueName), clock));
        // The harness's receiver listens on 127.0.0.1.
        var http = HttpClients.shared(new AddressGuard(new DestinationPolicy(true, false), new SystemHostResolver()));
        var channel = timings.channel(ChannelTypes.ALL.router(new SenderKit(http, new SecretSettings(name -> null),
                SecretLookup.NONE, new SettingReader(name -> null), clock)));
        var subscriberStore = new TableSubscriberStore(counted.table(StorageNames.SUBSCRIBERS_TABLE));
        Sequencer engine = Sequencer.builder().clock(clock)
                .stores(sequenceStore, enrollmentStore, subscriberStore)
                .timers(timers)
                .channelTypes(ChannelTypes.ALL.rules()).channel(channel)
                .build();
        engine.sequences().define(ApiClient.ACCOUNT, SEQUENCE, new SequenceDraft(SEQUENCE,
                List.of(new Step("s1", Delay.of(0, DelayUnit.SECONDS), "{\"text\":\"hello\"}"),
                        new Step("s2", Delay.of(1, DelayUnit.DAYS), "{\"text\":\"tomorrow\"}")),
                new WebhookConfig(URI.create(webhookUrl), Optional.empty())));
        enrollments = engine.enrollments();
        ticks = engine.ticks();
    }

    /** The partition the population shares with the probes: the sequence's enrollments. */
    static String partition() {
        return TableKeys.of(ApiClient.ACCOUNT, SEQUENCE);
    }

    StorageClients counted() {
        return counted;
    }

    /** Enrolls {@code probes} new subscribers one by one, then handles each of their ticks one by one. */
    Probe probe(int population, String probeId, int probes) {
        long queue0 = counted.queueTransactions();
        long table0 = counted.tableTransactions();
        long start = System.nanoTime();
        for (int i = 0; i < probes; i++) {
            enrollments.enroll(new EnrollmentKey(ApiClient.ACCOUNT, SEQUENCE, probeId + "-" + i));
        }
        double enrollMillis = (System.nanoTime() - start) / 1e6 / probes;
        double enrollTx = (counted.queueTransactions() - queue0 + counted.tableTransactions() - table0) / (double) probes;

        timings.reset();
        long tickNanos = 0;
        long tickQueue = 0;
        long tickTable = 0;
        int handled = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (handled < probes && System.nanoTime() < deadline) {
            for (QueueMessageItem message : harnessQueue.receiveMessages(32, Duration.ofMinutes(5), null, null)) {
                long q = counted.queueTransactions();
                long t = counted.tableTransactions();
                long tickStart = System.nanoTime();
                TickOutcome outcome = ticks.handle(TickCodec.decode(message.getBody().toString()));
                tickNanos += System.nanoTime() - tickStart;
                tickQueue += counted.queueTransactions() - q;
                tickTable += counted.tableTransactions() - t;
                harnessQueue.deleteMessage(message.getMessageId(), message.getPopReceipt());
                if (!(outcome instanceof TickOutcome.Done)) {
                    throw new IllegalStateException("probe tick was not delivered: " + outcome);
                }
                handled++;
            }
        }
        if (handled < probes) {
            throw new IllegalStateException("only " + handled + " of " + probes + " probe ticks arrived");
        }
        return new Probe(population, probes, enrollTx, enrollMillis, tickQueue / (double) handled,
                tickTable / (double) handled, tickNanos / 1e6 / handled, timings.snapshot());
    }
}
