package io.sequencer.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The Java worker's binding rules, as the local host applies them to a function's entry point. */
class FunctionInvokerTest {

    /** A queue function that counts its instances and records what it was given. */
    public static final class Counting {
        static final AtomicInteger INSTANCES = new AtomicInteger();
        static final List<String> SEEN = new CopyOnWriteArrayList<>();
        private int calls;

        public Counting() {
            INSTANCES.incrementAndGet();
        }

        public int run(@QueueTrigger(name = "message", queueName = "q", connection = "c") String message,
                       @BindingName("DequeueCount") long dequeueCount) {
            SEEN.add(message + "@" + dequeueCount);
            return ++calls;
        }
    }

    /** Declares the entry point that {@link Inheriting} only inherits. */
    public static class Declaring {
        public void run(@QueueTrigger(name = "message", queueName = "q", connection = "c") String message) {}
    }

    public static final class Inheriting extends Declaring {}

    /** Sleeps for the time it is given, and says whether it was interrupted or finished. */
    public static final class Sleeping {
        static final CountDownLatch INTERRUPTED = new CountDownLatch(1);
        static final CountDownLatch FINISHED = new CountDownLatch(1);

        public void run(@QueueTrigger(name = "message", queueName = "q", connection = "c") String millis) {
            try {
                Thread.sleep(Long.parseLong(millis));
                FINISHED.countDown();
            } catch (InterruptedException e) {
                INTERRUPTED.countDown();
            }
        }
    }

    private static FunctionInvoker invoker(Class<?> type, Duration timeout) {
        return new FunctionInvoker(new StagedApp.FunctionDefinition("f", type.getName(), "run",
                new StagedApp.QueueTrigger("q", "c")), FunctionInvokerTest.class.getClassLoader(), timeout);
    }

    private static FunctionInvoker invoker(Class<?> type) {
        return new FunctionInvoker(new StagedApp.FunctionDefinition("f", type.getName(), "run",
                new StagedApp.QueueTrigger("q", "c")), FunctionInvokerTest.class.getClassLoader(), Duration.ofMinutes(5));
    }

    @Test
    void every_invocation_gets_a_new_instance_of_the_function_class() throws Exception {
        FunctionInvoker invoker = invoker(Counting.class);
        int before = Counting.INSTANCES.get();

        Object first = invoker.invoke("a", Map.of("DequeueCount", "1"));
        Object second = invoker.invoke("b", Map.of("DequeueCount", "2"));

        assertThat(first).isEqualTo(1);
        assertThat(second).as("no state carried over from the first call").isEqualTo(1);
        assertThat(Counting.INSTANCES.get() - before).isEqualTo(2);
        assertThat(Counting.SEEN).contains("a@1", "b@2");
    }

    @Test
    void only_a_method_the_class_itself_declares_is_an_entry_point() {
        assertThatThrownBy(() -> invoker(Inheriting.class))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no public method run declared by " + Inheriting.class.getName());
    }

    @Test
    void a_binding_name_with_nothing_to_bind_is_an_error_not_a_zero() {
        FunctionInvoker invoker = invoker(Counting.class);

        assertThatThrownBy(() -> invoker.invoke("a", Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("@BindingName(\"DequeueCount\")");
    }

    @Test
    void a_run_past_function_timeout_is_ended_and_its_caller_told() throws Exception {
        FunctionInvoker invoker = invoker(Sleeping.class, Duration.ofMillis(200));

        assertThatThrownBy(() -> invoker.invoke("60000", Map.of()))
                .isInstanceOf(FunctionInvoker.FunctionTimeout.class)
                .hasMessageContaining("exceeded by function f");
        assertThat(Sleeping.INTERRUPTED.await(10, TimeUnit.SECONDS)).as("the run was interrupted").isTrue();
    }

    @Test
    void a_caller_that_stops_waiting_leaves_the_run_going_until_its_timeout() throws Exception {
        FunctionInvoker invoker = invoker(Sleeping.class, Duration.ofMinutes(1));

        assertThatThrownBy(() -> invoker.invokeWithin("300", Map.of(), Duration.ofMillis(50)))
                .isInstanceOf(FunctionInvoker.NoAnswerYet.class);
        assertThat(Sleeping.FINISHED.await(10, TimeUnit.SECONDS)).as("the run went on to its end").isTrue();
    }
}
