package io.sequencer.adapters.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.models.QueueMessageItem;
import io.sequencer.adapters.json.TickCodec;
import io.sequencer.adapters.json.stored.StoredChannelForms;
import io.sequencer.channel.ChannelTypes;
import io.sequencer.domain.timer.ParkedTick;
import io.sequencer.domain.timer.Tick;
import io.sequencer.engine.Stored;
import io.sequencer.engine.account.AccountKeyStore;
import io.sequencer.engine.broadcast.BroadcastStore;
import io.sequencer.engine.contract.AccountKeyStoreContract;
import io.sequencer.engine.contract.BroadcastStoreContract;
import io.sequencer.engine.contract.EnrollmentStoreContract;
import io.sequencer.engine.contract.EventLogContract;
import io.sequencer.engine.contract.IdempotencyStoreContract;
import io.sequencer.engine.contract.NoticeQueueContract;
import io.sequencer.engine.contract.ParkingLotContract;
import io.sequencer.engine.contract.PoisonQueueContract;
import io.sequencer.engine.contract.PoisonedTicksContract;
import io.sequencer.engine.contract.SecretStoreContract;
import io.sequencer.engine.contract.SequenceStoreContract;
import io.sequencer.engine.contract.SubscriberStoreContract;
import io.sequencer.engine.contract.TimerQueueContract;
import io.sequencer.engine.enrollment.EnrollmentStore;
import io.sequencer.engine.event.EventLog;
import io.sequencer.engine.idempotency.IdempotencyRecord;
import io.sequencer.engine.idempotency.IdempotencyStore;
import io.sequencer.engine.notification.NoticeQueue;
import io.sequencer.engine.poison.PoisonQueue;
import io.sequencer.engine.poison.PoisonedTicks;
import io.sequencer.engine.secret.SecretStore;
import io.sequencer.engine.sequence.SequenceStore;
import io.sequencer.engine.subscriber.SubscriberStore;
import io.sequencer.engine.timer.ParkingLot;
import io.sequencer.engine.timer.TimerQueue;
import io.sequencer.testing.Azurite;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.Test;

/**
 * The Azure Storage adapters against a real Azurite, held to the same contracts as the in-memory ports. The tests run
 * at once: each has queues and tables of its own, and the queue contracts spend most of their time waiting out real
 * visibility timeouts.
 */
@Execution(ExecutionMode.CONCURRENT)
class AzureContractsTest {
    private static final StoredChannelForms STORED_CHANNELS = ChannelTypes.ALL.storedForms();
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
            return new TableSequenceStore(STORAGE.table(table), STORED_CHANNELS);
        }
    }

    @Nested
    class Caps extends io.sequencer.engine.contract.CapStoreContract {
        @Override
        protected io.sequencer.engine.limit.CapStore newStore() {
            String table = unique("cap");
            STORAGE.ensureExists(unique("q-"), table);
            return new TableCapStore(STORAGE.table(table));
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

        /** A continuation may name the first row of the next partition: another sequence's, of the same subscriber. */
        @Test
        void a_continuation_into_the_next_partition_at_the_erased_subscriber_moves_to_the_end_of_the_sequence() {
            EnrollmentStore store = newStore();
            java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
            String intoNext = b64.encodeToString("acme|welcome2".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    + ";" + b64.encodeToString("ann".getBytes(java.nio.charset.StandardCharsets.UTF_8));

            assertThat(store.past("acme", "welcome", intoNext, "bob")).isEmpty();
            java.util.Optional<String> end = store.past("acme", "welcome", intoNext, "ann");

            assertThat(end).isPresent();
            assertThat(store.past("acme", "welcome", end.get(), "ann")).isEmpty();
            assertThat(store.page("acme", "welcome", io.sequencer.engine.enrollment.EnrollmentFilter.ALL, end, 10))
                    .isEqualTo(new io.sequencer.engine.enrollment.EnrollmentPage(java.util.List.of(),
                            java.util.Optional.empty()));
        }
    }

    @Nested
    class Jobs extends io.sequencer.engine.contract.JobStoreContract {
        @Override
        protected io.sequencer.engine.job.JobStore newStore() {
            String table = unique("job");
            STORAGE.ensureExists(unique("q-"), table);
            return new TableJobStore(STORAGE.table(table));
        }
    }

    @Nested
    class Imports extends io.sequencer.engine.contract.ImportStoreContract {
        @Override
        protected io.sequencer.engine.imports.ImportStore newStore() {
            String table = unique("imp");
            STORAGE.ensureExists(unique("q-"), table);
            return new TableImportStore(STORAGE.table(table));
        }
    }

    @Nested
    class Subscribers extends SubscriberStoreContract {
        @Override
        protected SubscriberStore newStore() {
            String table = unique("sub");
            STORAGE.ensureExists(unique("q-"), table);
            return new TableSubscriberStore(STORAGE.table(table));
        }

        @Test
        void a_row_written_before_opt_outs_kept_their_time_reads_as_opted_out_at_its_last_update() {
            String table = unique("sub");
            STORAGE.ensureExists(unique("q-"), table);
            TableEntity old = new TableEntity(TableKeys.of("acme"), TableKeys.of("ann"))
                    .addProperty("optedOut", true)
                    .addProperty("createdAt", "2026-01-01T00:00:00Z")
                    .addProperty("updatedAt", "2026-02-01T00:00:00Z")
                    .addProperty("attributes_n", 1).addProperty("attributes_0", "{}")
                    .addProperty("sequences_n", 1).addProperty("sequences_0", "[]");
            STORAGE.table(table).createEntity(old);
            var ann = new TableSubscriberStore(STORAGE.table(table)).find("acme", "ann").orElseThrow().value();
            assertThat(ann.optedOut()).isTrue();
            assertThat(ann.optedOutAt()).as("the latest it can have been").contains(Instant.parse("2026-02-01T00:00:00Z"));
        }
    }

    @Nested
    class Broadcasts extends BroadcastStoreContract {
        @Override
        protected BroadcastStore newStore() {
            String table = unique("brd");
            STORAGE.ensureExists(unique("q-"), table);
            return new TableBroadcastStore(STORAGE.table(table), Clock.systemUTC(), STORED_CHANNELS);
        }
    }

    @Nested
    class Secrets extends SecretStoreContract {
        private TableClient table;

        @Override
        protected SecretStore newStore() {
            String name = unique("sec");
            STORAGE.ensureExists(unique("q-"), name);
            table = STORAGE.table(name);
            return new TableSecretStore(table);
        }

        @Override
        protected SecretStore reopened() {
            return new TableSecretStore(STORAGE.table(table.getTableName()));
        }

        @Test
        void the_table_holds_only_ciphertext() {
            String value = "EAAGm0PX4ZCpsBA-page-token-ünïcode";
            secrets.put("acme", "page", value, Optional.empty());
            secrets.put("acme", "page", value + "-next", Optional.of(Duration.ofHours(1)));
            List<TableEntity> rows = table.listEntities().stream().toList();
            assertThat(rows).extracting(TableEntity::getRowKey).containsExactlyInAnyOrder("datakey", "secret|page");
            Base64.Encoder b64 = Base64.getEncoder();
            List<byte[]> forbidden = new ArrayList<>();
            for (String v : List.of(value, value + "-next")) {
                byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
                forbidden.add(bytes);
                forbidden.add(b64.encode(bytes));
                forbidden.add(Base64.getUrlEncoder().encode(bytes));
                forbidden.add(HexFormat.of().formatHex(bytes).getBytes(StandardCharsets.US_ASCII));
            }
            // Short, distinctive parts too: no fragment of the value either.
            forbidden.add("page-token".getBytes(StandardCharsets.UTF_8));
            for (TableEntity row : rows) {
                for (var property : row.getProperties().entrySet()) {
                    Object raw = property.getValue();
                    byte[] stored = raw instanceof byte[] b ? b : String.valueOf(raw).getBytes(StandardCharsets.UTF_8);
                    for (byte[] f : forbidden) {
                        assertThat(indexOf(stored, f)).as(row.getRowKey() + "." + property.getKey()).isEqualTo(-1);
                    }
                }
            }
            TableEntity secret = rows.stream().filter(r -> r.getRowKey().startsWith("secret|")).findFirst().orElseThrow();
            assertThat(secret.getProperty("ciphertext")).isInstanceOf(byte[].class);
            assertThat((byte[]) secret.getProperty("nonce")).hasSize(12);
            assertThat(secret.getProperty("previousCiphertext")).isInstanceOf(byte[].class);
            TableEntity key = rows.stream().filter(r -> r.getRowKey().equals("datakey")).findFirst().orElseThrow();
            assertThat((String) key.getProperty("keyId")).startsWith("local:");
            assertThat((byte[]) key.getProperty("wrapped")).as("AES-KW of a 32-byte key").hasSize(40);
        }

        private static int indexOf(byte[] haystack, byte[] needle) {
            outer:
            for (int i = 0; i + needle.length <= haystack.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (haystack[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }

    @Nested
    class AccountKeys extends AccountKeyStoreContract {
        @Override
        protected AccountKeyStore newStore() {
            String table = unique("keys");
            STORAGE.ensureExists(unique("q-"), table);
            return new TableAccountKeyStore(STORAGE.table(table));
        }
    }

    @Nested
    class Idempotency extends IdempotencyStoreContract {
        private String table;

        @Override
        protected IdempotencyStore newStore() {
            table = unique("idem");
            STORAGE.ensureExists(unique("q-"), table);
            return new TableIdempotencyStore(STORAGE.table(table));
        }

        /** Rows written before they carried a format version read as they always did; a newer one is refused by name. */
        @Test
        void a_record_without_its_format_version_reads_and_one_from_a_newer_version_is_refused() {
            IdempotencyRecord claim = running("acme", "k-v0");
            store.create(claim);
            TableClient raw = STORAGE.table(table);
            TableEntity row = raw.listEntities().stream().filter(e -> "k-v0".equals(e.getProperty("key"))).findFirst()
                    .orElseThrow();
            assertThat(row.getProperty("v")).isEqualTo(1);

            row.getProperties().remove("v");
            raw.updateEntity(row, TableEntityUpdateMode.REPLACE);
            assertThat(store.find("acme", "k-v0")).map(Stored::value).contains(claim);

            raw.updateEntity(row.addProperty("v", 2), TableEntityUpdateMode.REPLACE);
            assertThatThrownBy(() -> store.find("acme", "k-v0")).hasMessageContaining("v is 2, newer than");
        }
    }

    @Nested
    class Poisoned extends PoisonedTicksContract {
        /** Its own clients, so that the storage transactions counted are this store's alone. */
        private final StorageClients clients = Azurite.shared().clients();
        private TableClient table;

        @Override
        protected PoisonedTicks newStore() {
            String name = unique("enr");
            clients.ensureExists(unique("q-"), name);
            table = clients.table(name);
            return new TablePoisonedTicks(table);
        }

        private static Tick tick(String subscriber, String token) {
            return new Tick(new io.sequencer.domain.enrollment.EnrollmentKey("acme", "welcome", subscriber), 1, 0, "s0",
                    Instant.parse("2026-04-01T09:00:00Z"), token, 1, 0, 0);
        }

        @Test
        void entries_live_in_the_sequences_enrollment_partition_after_every_subscriber_and_apart_from_them() {
            for (String subscriber : List.of("ann", "zz", "ZZZ", "___", "...", "zzzzzzzz-9")) {
                table.createEntity(new TableEntity(TableKeys.of("acme", "welcome"), TableKeys.of(subscriber))
                        .addProperty("status", "active"));
            }
            store.record(tick("ann", "t1"), "boom", Instant.parse("2026-04-01T09:00:00Z"));
            List<TableEntity> rows = table.listEntities().stream().toList();
            assertThat(rows).hasSize(7);
            assertThat(rows.get(rows.size() - 1).getRowKey()).startsWith("~poison|ann|1|0|");
            assertThat(rows.get(rows.size() - 1).getPartitionKey()).isEqualTo("acme|welcome");
            assertThat(store.summary("acme", "welcome").count()).isEqualTo(1);
            assertThat(store.list("acme", "welcome", Optional.empty(), 10).entries()).hasSize(1);
        }

        @Test
        void the_summary_is_one_query_whatever_the_number_of_enrollments_beside() {
            var batch = new ArrayList<com.azure.data.tables.models.TableTransactionAction>();
            for (int i = 0; i < 100; i++) {
                batch.add(new com.azure.data.tables.models.TableTransactionAction(
                        com.azure.data.tables.models.TableTransactionActionType.CREATE,
                        new TableEntity(TableKeys.of("acme", "welcome"), "sub-" + i).addProperty("status", "active")));
            }
            table.submitTransaction(batch);
            for (int i = 0; i < 3; i++) {
                store.record(tick("s" + i, "t" + i), "boom " + i, Instant.parse("2026-04-01T09:00:00Z").plusSeconds(i));
            }
            long before = clients.tableTransactions();
            assertThat(store.summary("acme", "welcome").lastError()).contains("boom 2");
            assertThat(clients.tableTransactions() - before).isEqualTo(1);
        }

        @Test
        void a_token_with_characters_table_keys_forbid_is_kept_safely() {
            Tick odd = tick("bea", "a/b\\c#d?e\u0001f");
            store.record(odd, "boom", Instant.parse("2026-04-01T09:00:00Z"));
            assertThat(store.list("acme", "welcome", Optional.empty(), 10).entries())
                    .extracting(e -> e.value().tick()).containsExactly(odd);
        }
    }

    @Nested
    class PoisonQueues extends PoisonQueueContract {
        private QueueClient raw;

        @Override
        protected PoisonQueue newQueue() {
            String name = unique("poison-");
            STORAGE.ensureExists(name);
            raw = new QueueClientBuilder().connectionString(Azurite.shared().connectionString()).queueName(name)
                    .messageEncoding(QueueMessageEncoding.NONE).buildClient();
            return new QueuePoisonQueue(STORAGE.rawQueue(name));
        }

        /** As the host moves it: the tick queue's message text, base64, unchanged. */
        @Override
        protected void putTick(Tick tick) {
            raw.sendMessage(base64(TickCodec.encode(tick)));
        }

        @Override
        protected void putParked(ParkedTick parked) {
            raw.sendMessage(base64(TickCodec.encodeParked(parked)));
        }

        @Override
        protected void putUnreadable(String text) {
            raw.sendMessage(base64(text));
        }

        @Override
        protected long depth() {
            return raw.getProperties().getApproximateMessagesCount();
        }

        @Override
        protected void pass(Duration time) {
            try {
                Thread.sleep(time.toMillis()); // the real queue's lease is what is tested here
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static String base64(String text) {
            return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
        }

        @Test
        void a_message_that_is_not_base64_is_read_as_not_a_tick_rather_than_failing_the_sweep() {
            raw.sendMessage("{\"plain\":\"json\"}");
            putTick(tick("ann"));
            List<PoisonQueue.Claim> claims = queue.claim(32, Duration.ofSeconds(30));
            assertThat(claims).extracting(PoisonQueue.Claim::ticks)
                    .containsExactlyInAnyOrder(List.of(), List.of(tick("ann")));
        }

        @Test
        void a_queue_not_created_yet_has_nothing_to_sweep() {
            assertThat(new QueuePoisonQueue(STORAGE.rawQueue(unique("never-created-"))).claim(32, Duration.ofSeconds(30)))
                    .isEmpty();
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
    class NoticeQueues extends NoticeQueueContract {
        private QueueNoticeQueue signals;
        private QueueClient client;

        @Override
        protected NoticeQueue newQueue() {
            String name = unique("notices-");
            STORAGE.ensureExists(name);
            client = STORAGE.queue(name);
            signals = new QueueNoticeQueue(client);
            return signals;
        }

        @Override
        protected long depth() {
            return signals.approximateCount();
        }

        @Override
        protected void pass(Duration time) {
            try {
                Thread.sleep(time.toMillis()); // the real queue's visibility and lease are what is tested here
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Test
        void a_signal_queued_before_signals_named_an_event_reads_as_naming_none() {
            client.sendMessage("{\"v\":1,\"account\":\"acme\",\"sequenceId\":\"welcome\",\"subscriberId\":\"old\"}");
            assertThat(queue.receive(32, Duration.ofSeconds(30))).singleElement().satisfies(s -> {
                assertThat(s.key()).isEqualTo(key("old"));
                assertThat(s.upTo()).isEqualTo(NoticeQueue.ANY);
            });
        }

        @Test
        void a_message_that_is_no_signal_is_dropped_rather_than_failing_the_drain() {
            client.sendMessage("not a signal");
            queue.signal(key("ann"), 1);
            assertThat(queue.receive(32, Duration.ofSeconds(30))).extracting(NoticeQueue.Signal::key)
                    .containsExactly(key("ann"));
            assertThat(depth()).isEqualTo(1);
        }
    }

    @Nested
    class Parking extends ParkingLotContract {
        @Override
        protected ParkingLot newLot() {
            String name = unique("parked-");
            STORAGE.ensureExists(name);
            return new QueueParkingLot(STORAGE.queue(name), STORAGE.queue(name + "-poison"));
        }

        @Test
        void a_parked_message_it_cannot_read_is_kept_in_the_poison_queue_until_someone_deletes_it() {
            String name = unique("parked-");
            STORAGE.ensureExists(name);
            STORAGE.ensureExists(name + "-poison");
            QueueClient poison = STORAGE.queue(name + "-poison");
            STORAGE.queue(name).sendMessage("not a parked timer");

            assertThat(new QueueParkingLot(STORAGE.queue(name), poison).claimVisible(32, Duration.ofSeconds(30))).isEmpty();

            assertThat(poison.peekMessages(32, null, null)).singleElement().satisfies(m -> {
                assertThat(m.getBody().toString()).isEqualTo("not a parked timer");
                assertThat(m.getExpirationTime()).as("no time-to-live: the service's default would drop it in 7 days")
                        .isAfter(OffsetDateTime.now().plusYears(100));
            });
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
            return new QueueTimerQueue(STORAGE.queue(name), Clock.systemUTC());
        }

        @Override
        protected Instant now() {
            return Instant.now();
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

        @Override
        protected long held() {
            return raw.getProperties().getApproximateMessagesCount();
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
