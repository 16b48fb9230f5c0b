package io.sequencer.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.models.QueueMessageItem;
import com.azure.storage.queue.models.QueueStorageException;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import io.sequencer.testing.Azurite;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The local queue listener on Azurite, against the Functions host's rules for dequeue counts. */
class QueueTriggerListenerTest {

    /** Records every message it runs on. */
    public static final class Recording {
        static final List<String> RAN = new CopyOnWriteArrayList<>();

        public void run(@QueueTrigger(name = "message", queueName = "q", connection = "c") String message,
                        @BindingName("DequeueCount") long dequeueCount) {
            RAN.add(message + "@" + dequeueCount);
        }
    }

    /** Outlives its timeout on the first try, finishes on the next. */
    public static final class SlowFirst {
        static final List<String> RAN = new CopyOnWriteArrayList<>();

        public void run(@QueueTrigger(name = "message", queueName = "q", connection = "c") String message,
                        @BindingName("DequeueCount") long dequeueCount) throws InterruptedException {
            RAN.add(message + "@" + dequeueCount);
            if (dequeueCount == 1) {
                Thread.sleep(60_000);
            }
        }
    }

    @Test
    void a_run_past_function_timeout_leaves_its_message_to_come_back_when_the_lease_ends() throws Exception {
        String name = "timeout-" + UUID.randomUUID().toString().substring(0, 8);
        QueueClient queue = raw(name);
        QueueClient poison = raw(name + "-poison");
        queue.create();
        String text = "slow-" + UUID.randomUUID();
        queue.sendMessage(base64(text));

        StagedApp.FunctionDefinition function = new StagedApp.FunctionDefinition("slow", SlowFirst.class.getName(),
                "run", new StagedApp.QueueTrigger(name, "c"));
        // visibilityTimeout 0: a failure would make the message visible again at once; a timeout must not.
        StagedApp.QueueOptions options = new StagedApp.QueueOptions(16, 8, Duration.ofMillis(200), Duration.ZERO, 5,
                "base64");
        try (QueueTriggerListener listener = new QueueTriggerListener(function, options, queue, poison,
                new FunctionInvoker(function, getClass().getClassLoader(), Duration.ofMillis(500)), Duration.ofSeconds(4))) {
            listener.start();
            awaitRun(SlowFirst.RAN, text + "@1");
            // Timed out after 0.5 s; a failure would be back at once (visibilityTimeout 0), a timeout waits out its
            // 4 s lease.
            Thread.sleep(2_000);
            assertThat(SlowFirst.RAN).as("not run again while its lease lasts").containsExactly(text + "@1");
            assertThat(queue.getProperties().getApproximateMessagesCount()).as("not deleted").isEqualTo(1);
            awaitRun(SlowFirst.RAN, text + "@2");
            Thread.sleep(500);
        }

        assertThat(SlowFirst.RAN).containsExactly(text + "@1", text + "@2");
        assertThat(poisoned(poison)).isEmpty();
        assertThat(queue.getProperties().getApproximateMessagesCount()).as("deleted after the run that finished").isZero();
    }

    @Test
    void a_message_received_more_often_than_max_dequeue_count_is_poisoned_without_running_the_function()
            throws Exception {
        String name = "listener-" + UUID.randomUUID().toString().substring(0, 8);
        QueueClient queue = raw(name);
        QueueClient poison = raw(name + "-poison");
        queue.create();
        String overdue = "overdue-" + UUID.randomUUID();
        String lastTry = "last-try-" + UUID.randomUUID();
        // Received (and never finished) 5 and 4 times before the listener starts, as after a worker that died; the
        // first is hidden for a moment meanwhile, so that receiving the second does not count against it.
        queue.sendMessage(base64(overdue));
        receiveAndAbandon(queue, 5, Duration.ofSeconds(3));
        queue.sendMessage(base64(lastTry));
        receiveAndAbandon(queue, 4, Duration.ZERO);

        StagedApp.FunctionDefinition function = new StagedApp.FunctionDefinition("recording",
                Recording.class.getName(), "run", new StagedApp.QueueTrigger(name, "c"));
        StagedApp.QueueOptions options = new StagedApp.QueueOptions(16, 8, Duration.ofMillis(200),
                Duration.ofSeconds(1), 5, "base64");
        try (QueueTriggerListener listener = new QueueTriggerListener(function, options, queue, poison,
                new FunctionInvoker(function, getClass().getClassLoader(), Duration.ofMinutes(5)))) {
            listener.start();
            long giveUpAt = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while ((!Recording.RAN.contains(lastTry + "@5") || poisoned(poison).isEmpty()) && System.nanoTime() < giveUpAt) {
                Thread.sleep(100);
            }
        }

        assertThat(Recording.RAN).as("the fifth receipt runs the function").contains(lastTry + "@5");
        assertThat(Recording.RAN).as("a sixth receipt does not").noneMatch(ran -> ran.startsWith(overdue));
        assertThat(poisoned(poison)).containsExactly(base64(overdue));
        assertThat(queue.getProperties().getApproximateMessagesCount()).isZero();
    }

    /** Receives the queue's only visible message {@code times} times, then hides it for {@code hidden}. */
    private static void receiveAndAbandon(QueueClient queue, int times, Duration hidden) {
        for (int i = 1; i <= times; i++) {
            QueueMessageItem m = queue.receiveMessages(1, Duration.ofSeconds(30), null, null).iterator().next();
            queue.updateMessage(m.getMessageId(), m.getPopReceipt(), null, i == times ? hidden : Duration.ZERO);
        }
    }

    private static void awaitRun(List<String> ran, String run) throws InterruptedException {
        long giveUpAt = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!ran.contains(run) && System.nanoTime() < giveUpAt) {
            Thread.sleep(50);
        }
        assertThat(ran).contains(run);
    }

    private static List<String> poisoned(QueueClient poison) {
        try {
            return poison.peekMessages(32, null, null).stream().map(m -> m.getBody().toString()).toList();
        } catch (QueueStorageException notMadeYet) {
            return List.of();
        }
    }

    private static QueueClient raw(String name) {
        return new QueueClientBuilder().connectionString(Azurite.shared().connectionString()).queueName(name)
                .messageEncoding(QueueMessageEncoding.NONE).buildClient();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
