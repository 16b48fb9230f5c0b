package io.sequencer.adapters.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.models.QueueMessageItem;
import io.sequencer.adapters.json.TickCodec;
import io.sequencer.domain.Tick;
import io.sequencer.engine.EnrollmentStore;
import io.sequencer.engine.EventLog;
import io.sequencer.engine.SequenceStore;
import io.sequencer.engine.TimerQueue;
import io.sequencer.engine.contract.EnrollmentStoreContract;
import io.sequencer.engine.contract.EventLogContract;
import io.sequencer.engine.contract.SequenceStoreContract;
import io.sequencer.engine.contract.TimerQueueContract;
import io.sequencer.testing.Azurite;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The Azure Storage adapters against a real Azurite, held to the same contracts as the in-memory ports. */
class AzureContractsTest {
    private static final StorageClients STORAGE = Azurite.shared().clients();

    static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    @Nested
    class Sequences extends SequenceStoreContract {
        @Override
        protected SequenceStore newStore() {
            String table = unique("seq");
            STORAGE.ensureExists(unique("q-"), table);
            return new TableSequenceStore(STORAGE.table(table));
        }
    }

    @Nested
    class Enrollments extends EnrollmentStoreContract {
        @Override
        protected EnrollmentStore newStore() {
            String table = unique("enr");
            STORAGE.ensureExists(unique("q-"), table);
            return new TableEnrollmentStore(STORAGE.table(table));
        }
    }

    @Nested
    class Subscribers extends io.sequencer.engine.contract.SubscriberStoreContract {
        @Override
        protected io.sequencer.engine.SubscriberStore newStore() {
            String table = unique("sub");
            STORAGE.ensureExists(unique("q-"), table);
            return new TableSubscriberStore(STORAGE.table(table));
        }
    }

    @Nested
    class Events extends EventLogContract {
        @Override
        protected EventLog newLog() {
            String table = unique("evt");
            STORAGE.ensureExists(unique("q-"), table);
            return new TableEventLog(STORAGE.table(table));
        }
    }

    @Nested
    class Parking extends io.sequencer.engine.contract.ParkingLotContract {
        @Override
        protected io.sequencer.engine.ParkingLot newLot() {
            String name = unique("parked-");
            STORAGE.ensureExists(name);
            return new QueueParkingLot(STORAGE.queue(name), STORAGE.queue(name + "-poison"));
        }

        @Override
        protected void pass(Duration time) {
            try {
                Thread.sleep(time.toMillis()); // the real queue's visibility and lease are what is tested here
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Nested
    class Timers extends TimerQueueContract {
        private QueueClient raw;

        @Override
        protected TimerQueue newQueue() {
            String name = unique("ticks-");
            STORAGE.ensureExists(name);
            raw = rawClient(name);
            return new QueueTimerQueue(STORAGE.queue(name), java.time.Clock.systemUTC());
        }

        @Override
        protected java.time.Instant now() {
            return java.time.Instant.now();
        }

        /** Reads as the Functions host does: raw text, base64-decoded, UTF-8. */
        @Override
        protected List<Tick> takeVisible() {
            return raw.receiveMessages(32).stream().map(m -> {
                raw.deleteMessage(m.getMessageId(), m.getPopReceipt());
                return TickCodec.decode(hostDecode(m));
            }).toList();
        }

        @Override
        protected void pass(Duration time) {
            try {
                Thread.sleep(time.toMillis()); // the real queue's visibility delay is what is tested here
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Test
        void messages_are_base64_text_that_the_functions_trigger_decodes_to_the_tick() {
            Tick tick = tick("dora");
            queue.schedule(tick, now());
            QueueMessageItem message = raw.receiveMessage();
            String onTheWire = message.getBody().toString();
            assertThat(onTheWire).matches("[A-Za-z0-9+/=]+");
            assertThat(TickCodec.decode(hostDecode(message))).isEqualTo(tick);
        }

        @Test
        void messages_never_expire_so_long_hops_cannot_outlive_them() {
            queue.schedule(tick("eve"), now());
            QueueMessageItem message = raw.receiveMessage();
            assertThat(message.getExpirationTime().getYear()).isGreaterThanOrEqualTo(9999);
        }

        private QueueClient rawClient(String name) {
            return new QueueClientBuilder().connectionString(Azurite.shared().connectionString()).queueName(name)
                    .messageEncoding(QueueMessageEncoding.NONE).buildClient();
        }

        private static String hostDecode(QueueMessageItem message) {
            return new String(Base64.getDecoder().decode(message.getBody().toString()), StandardCharsets.UTF_8);
        }
    }
}
