package io.sequencer.it.load;

import static io.sequencer.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.storage.queue.QueueClient;
import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.adapters.json.TickCodec;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.timer.TimerShard;
import io.sequencer.engine.poison.PoisonSweeper;
import io.sequencer.engine.timer.TimerPump;
import io.sequencer.functions.FunctionApp;
import io.sequencer.functions.Settings;
import io.sequencer.functions.StorageNames;
import io.sequencer.functions.TickFunction;
import io.sequencer.local.WebhookSink;
import io.sequencer.testing.Azurite;
import io.sequencer.testing.LocalHostFixture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Timers over two shard queues on the local host: each enrollment's ticks are run by its shard's tick function,
 * the pump moves parked ticks into the right shard, and a tick poisoned on shard 1 is counted, swept, shown in its
 * sequence's report and delivered once when replayed.
 */
class ShardsIT {
    private static final int SHARDS = 2;
    private static LocalHostFixture host;
    private static WebhookSink sink;
    private static final RunBy runBy = new RunBy();

    @BeforeAll
    static void start() throws Exception {
        // Horizon 0: every step that is not due at once is parked, and the pump runs when a test says (its timer is
        // off). The sweeper is off too, so the poison queue holds what a test looks for until it sweeps itself.
        // Failed messages come back after 1 s instead of 30 s.
        host = LocalHostFixture.start(Map.of(Settings.TICK_SHARDS, Integer.toString(SHARDS), Settings.HORIZON, "0",
                        "AzureWebJobs.pump.Disabled", "true", "AzureWebJobs.sweepPoison.Disabled", "true"),
                hostJson -> hostJson.with("extensions").with("queues")
                        .put("visibilityTimeout", "00:00:01").put("maxPollingInterval", "00:00:00.500"));
        sink = new WebhookSink(null);
    }

    @AfterAll
    static void stop() {
        runBy.close();
        sink.close();
        host.close();
    }

    private static String newAccount() {
        return "shards-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String sequenceBody(int delaySeconds) {
        return "{\"name\":\"Sharded\",\"steps\":[{\"id\":\"one\",\"delay\":{\"amount\":" + delaySeconds
                + ",\"unit\":\"seconds\"},\"message\":{\"text\":\"hello\"}}],\"channel\":{\"type\":\"webhook\","
                + "\"url\":\"" + sink.url() + "\"}}";
    }

    private static void defineAndEnroll(String account, String sequence, int delaySeconds, List<String> subscribers) {
        String path = "/api/accounts/" + account + "/sequences/" + sequence;
        assertThat(host.call("PUT", path, sequenceBody(delaySeconds)).statusCode()).isEqualTo(201);
        for (String subscriber : subscribers) {
            assertThat(host.call("PUT", path + "/subscribers/" + subscriber, null).statusCode()).isEqualTo(201);
        }
    }

    private static long deliveriesTo(String account) {
        return sink.received().stream().filter(r -> r.payload().path("account").asText().equals(account)).count();
    }

    private static List<String> subscribers(int count) {
        return IntStream.range(0, count).mapToObj(i -> "u" + i).toList();
    }

    /**
     * Waits for {@code done}, running the pump meanwhile as its timer would: with the horizon at 0, a tick that waits
     * (twenty due at once meet the destination's limit on sends in flight) comes back through the parking queue.
     */
    private static void awaitPumping(BooleanSupplier done) {
        await(() -> {
            FunctionApp.get().engine().pump().run(1_000, Duration.ofSeconds(10));
            return done.getAsBoolean();
        }, Duration.ofSeconds(120));
    }

    private static int shardOf(String account, String sequence, String subscriber) {
        return TimerShard.of(new EnrollmentKey(account, sequence, subscriber), SHARDS);
    }

    /** Each subscriber's sent tick must have been run by its own shard's tick function, and both shards ran some. */
    private static void assertEachRanOnItsShard(String account, String sequence, List<String> subscribers) {
        Map<String, String> ranOn = runBy.sent(account);
        assertThat(ranOn).containsOnlyKeys(subscribers);
        ranOn.forEach((subscriber, function) -> assertThat(function).as(subscriber)
                .isEqualTo(TickFunction.NAMES.get(shardOf(account, sequence, subscriber))));
        assertThat(Set.copyOf(ranOn.values())).as("both shards' functions ran ticks")
                .containsExactlyInAnyOrder(TickFunction.NAMES.get(0), TickFunction.NAMES.get(1));
    }

    @Test
    void each_enrollment_s_due_step_is_run_by_its_shard_s_tick_function_and_both_shards_deliver() {
        String account = newAccount();
        List<String> subscribers = subscribers(20);
        defineAndEnroll(account, "now", 0, subscribers);
        awaitPumping(() -> deliveriesTo(account) >= subscribers.size() && runBy.sent(account).size() == subscribers.size());
        assertThat(deliveriesTo(account)).isEqualTo(subscribers.size());
        assertEachRanOnItsShard(account, "now", subscribers);

        JsonNode timers = Json.read(host.call("GET", "/api/metrics", null).body()).path("timers");
        assertThat(timers.path("shards").asInt()).isEqualTo(SHARDS);
        assertThat(timers.path("triggeredByQueue").fieldNames()).toIterable().containsExactly("sequencer-ticks",
                "sequencer-ticks-1", "sequencer-ticks-2", "sequencer-ticks-3");
    }

    @Test
    void a_batch_enroll_s_grouped_first_ticks_fan_out_onto_each_enrollment_s_shard() {
        String account = newAccount();
        List<String> subscribers = subscribers(20);
        String path = "/api/accounts/" + account + "/sequences/batch";
        // A first step due a minute or more ahead: sooner ones are put one by one, not as a group.
        assertThat(host.call("PUT", path, sequenceBody(61)).statusCode()).isEqualTo(201);
        String batch = subscribers.stream().map(s -> "{\"subscriberId\":\"" + s + "\"}")
                .collect(Collectors.joining(",", "{\"subscribers\":[", "]}"));
        assertThat(host.call("POST", path + "/subscribers:batch", batch).statusCode()).isEqualTo(200);
        awaitPumping(() -> runBy.sent(account).size() == subscribers.size());
        assertThat(deliveriesTo(account)).isEqualTo(subscribers.size());
        assertEachRanOnItsShard(account, "batch", subscribers);
        assertThat(runBy.groupsFannedOut("batch")).as("the first ticks went as a group, then one by one").isPositive();
    }

    @Test
    void the_pump_moves_parked_ticks_into_each_enrollment_s_shard() {
        String account = newAccount();
        List<String> subscribers = subscribers(20);
        defineAndEnroll(account, "later", 2, subscribers);
        assertThat(FunctionApp.get().parkedTimers()).as("parked, beyond the horizon of 0 s")
                .isGreaterThanOrEqualTo(subscribers.size());

        List<TimerPump.Run> runs = new CopyOnWriteArrayList<>();
        await(() -> {
            runs.add(FunctionApp.get().engine().pump().run(1_000, Duration.ofSeconds(10)));
            return runBy.sent(account).size() == subscribers.size();
        }, Duration.ofSeconds(60));
        assertThat(runs.stream().mapToInt(TimerPump.Run::moved).sum()).isGreaterThanOrEqualTo(subscribers.size());
        assertThat(deliveriesTo(account)).isEqualTo(subscribers.size());
        assertEachRanOnItsShard(account, "later", subscribers);
    }

    @Test
    void a_tick_poisoned_on_shard_1_is_counted_swept_shown_in_its_report_and_replayed_once() throws Exception {
        String account = newAccount();
        String subscriber = IntStream.range(0, 100).mapToObj(i -> "p" + i)
                .filter(s -> shardOf(account, "fragile", s) == 1).findFirst().orElseThrow();
        String path = "/api/accounts/" + account + "/sequences/fragile";
        defineAndEnroll(account, "fragile", 1, List.of(subscriber));
        // Parked until the pump runs; meanwhile its enrollment becomes a row this version cannot read.
        TableClient enrollments = Azurite.shared().clients().table(StorageNames.ENROLLMENTS_TABLE);
        setStatus(enrollments, account, subscriber, "unreadable");
        QueueClient poison = Azurite.shared().clients().rawQueue(StorageNames.tickPoisonQueue(1));
        await(() -> {
            FunctionApp.get().engine().pump().run(1_000, Duration.ofSeconds(10));
            return poisonedTicksOf(poison, account) == 1;
        }, Duration.ofSeconds(60));
        // The host poisons a message into its own trigger's poison queue: the tick ran on shard 1 only.
        assertThat(poisonedTicksOf(Azurite.shared().clients().rawQueue(StorageNames.tickPoisonQueue(0)), account))
                .isZero();

        JsonNode poisonQueues = Json.read(host.call("GET", "/api/metrics", null).body()).path("poisonQueues");
        assertThat(poisonQueues.path(StorageNames.tickPoisonQueue(1)).asLong()).isPositive();
        PoisonSweeper.Run swept = FunctionApp.get().engine().poisonSweeper().run(1_000, Duration.ofSeconds(40));
        assertThat(swept.recorded()).isGreaterThanOrEqualTo(1);
        assertThat(poisonedTicksOf(poison, account)).isZero();
        JsonNode poisoned = Json.read(host.call("GET", path + "/report", null).body()).path("poisoned");
        assertThat(poisoned.path("count").asInt()).isEqualTo(1);
        assertThat(poisoned.path("lastError").asText()).contains("status cannot be read");

        setStatus(enrollments, account, subscriber, "active");
        assertThat(Json.read(host.call("POST", path + "/poison:replay", null).body()))
                .isEqualTo(Json.read("{\"replayed\":1,\"more\":false}"));
        await(() -> Json.read(host.call("GET", path + "/subscribers/" + subscriber, null).body())
                .path("status").asText().equals("completed"), Duration.ofSeconds(30));
        await(() -> deliveriesTo(account) >= 1, Duration.ofSeconds(10));
        assertThat(deliveriesTo(account)).isEqualTo(1);
        // The function logs its line after the step is recorded: wait for it.
        await(() -> !runBy.sent(account).isEmpty(), Duration.ofSeconds(10));
        assertThat(runBy.sent(account)).as("the replayed tick went back to its shard")
                .containsExactly(Map.entry(subscriber, TickFunction.NAMES.get(1)));
        assertThat(Json.read(host.call("GET", path + "/report", null).body()).path("poisoned").path("count").asInt())
                .isZero();
    }

    /** Changes only the stored enrollment's status, as a bad write or a bad migration could. */
    private static void setStatus(TableClient enrollments, String account, String subscriber, String status) {
        enrollments.updateEntity(new TableEntity(account + "|fragile", subscriber).addProperty("status", status),
                TableEntityUpdateMode.MERGE);
    }

    /** Visible ticks of {@code account} in {@code poison} (read raw: the host moves the base64 text unchanged). */
    private static long poisonedTicksOf(QueueClient poison, String account) {
        return poison.peekMessages(32, null, null).stream().map(m -> m.getBody().toString()).filter(text -> {
            try {
                String json = new String(java.util.Base64.getDecoder().decode(text), java.nio.charset.StandardCharsets.UTF_8);
                return TickCodec.decode(json).key().account().equals(account);
            } catch (IllegalArgumentException | TickCodec.MalformedTick other) {
                return false;
            }
        }).count();
    }

    /** Which tick function logged each tick line: the local host names each function's logger after it. */
    private static final class RunBy extends Handler implements AutoCloseable {
        private record Line(String function, String text) {}

        private final List<Line> lines = new CopyOnWriteArrayList<>();
        private final List<Logger> loggers = TickFunction.NAMES.stream().map(n -> Logger.getLogger("Function." + n)).toList();

        RunBy() {
            loggers.forEach(logger -> logger.addHandler(this));
        }

        /** subscriber → the function that ran its sent tick, for {@code account}. */
        Map<String, String> sent(String account) {
            return lines.stream().filter(l -> l.text().contains("outcome=sent") && l.text().contains(" account=" + account + " "))
                    .collect(Collectors.toMap(l -> field(l.text(), "subscriber"), Line::function, (a, b) -> a + "," + b));
        }

        /** Groups of first ticks of sequence {@code sequenceId} that a tick function fanned out. */
        long groupsFannedOut(String sequenceId) {
            return lines.stream().filter(l -> l.text().startsWith("tick group outcome=fanned-out sequence=" + sequenceId + " "))
                    .count();
        }

        private static String field(String line, String name) {
            for (String token : line.split(" ")) {
                if (token.startsWith(name + "=")) {
                    return token.substring(name.length() + 1);
                }
            }
            return "";
        }

        @Override
        public void publish(LogRecord record) {
            String function = record.getLoggerName().substring("Function.".length());
            lines.add(new Line(function, record.getMessage() == null ? "" : record.getMessage()));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {
            loggers.forEach(logger -> logger.removeHandler(this));
        }
    }
}
