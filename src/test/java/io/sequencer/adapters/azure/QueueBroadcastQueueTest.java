package io.sequencer.adapters.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.QueueMessageItem;
import io.sequencer.adapters.json.BroadcastCodec;
import io.sequencer.domain.broadcast.FanOutPage;
import io.sequencer.domain.broadcast.SendChunk;
import io.sequencer.testing.Azurite;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Broadcast messages on Azurite: near sends straight into the triggered queue, far ones parked and pumped. */
class QueueBroadcastQueueTest {
    private final StorageClients storage = Azurite.shared().clients();

    private QueueClient queue(String prefix) {
        String name = AzureContractsTest.unique(prefix);
        storage.ensureExists(name);
        return storage.queue(name);
    }

    private static List<QueueMessageItem> visible(QueueClient queue) {
        List<QueueMessageItem> out = new ArrayList<>();
        queue.receiveMessages(32, Duration.ofSeconds(30), null, null).forEach(out::add);
        return out;
    }

    @Test
    void sends_beyond_the_horizon_wait_in_the_parking_queue_until_the_pump_moves_them() throws Exception {
        QueueClient pages = queue("pages-");
        QueueClient sends = queue("sends-");
        QueueClient parked = queue("parked-");
        QueueClient poison = queue("poison-");
        QueueBroadcastQueue queues = new QueueBroadcastQueue(pages, sends, parked, poison, Duration.ofSeconds(2),
                Clock.systemUTC());
        Instant now = Instant.now();
        SendChunk near = new SendChunk("acme", "friday", now, List.of("a"));
        SendChunk far = new SendChunk("acme", "friday", now.plusSeconds(5), List.of("b", "c"));

        queues.send(near, now);
        queues.send(far, far.dueAt());
        queues.fanOut(new FanOutPage("acme", "friday", 0, 0), now);

        assertThat(visible(pages)).singleElement().satisfies(m -> assertThat(BroadcastCodec.decodePage(m.getBody().toString()))
                .isEqualTo(new FanOutPage("acme", "friday", 0, 0)));
        assertThat(visible(sends)).singleElement().satisfies(m -> assertThat(BroadcastCodec.decodeChunk(m.getBody().toString()))
                .isEqualTo(near));
        assertThat(sends.getProperties().getApproximateMessagesCount()).isEqualTo(1); // the far one is not counted here
        assertThat(queues.pumpParked(100)).isZero(); // still hidden: 3 s until it is within the horizon

        Thread.sleep(3_500);
        assertThat(queues.pumpParked(100)).isEqualTo(1);
        assertThat(parked.getProperties().getApproximateMessagesCount()).isZero();
        Thread.sleep(2_000);
        assertThat(visible(sends)).singleElement().satisfies(m -> assertThat(BroadcastCodec.decodeChunk(m.getBody().toString()))
                .isEqualTo(far));

        parked.sendMessage("not a parked broadcast message");
        assertThat(queues.pumpParked(100)).isEqualTo(1);
        assertThat(visible(poison)).singleElement().satisfies(m -> {
            assertThat(m.getBody().toString()).isEqualTo("not a parked broadcast message");
            assertThat(m.getExpirationTime()).as("no time-to-live: the service's default would drop it in 7 days")
                    .isAfter(OffsetDateTime.now().plusYears(100));
        });
    }
}
