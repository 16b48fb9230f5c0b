package io.sequencer.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import io.sequencer.domain.timer.TimerShard;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** One tick function per timer shard, each triggered by its shard's queue. */
class TickShardsTest {

    @Test
    void shard_0_keeps_the_queue_of_older_versions_and_shard_k_is_named_after_it() {
        assertThat(StorageNames.tickQueue(0)).isEqualTo("sequencer-ticks").isEqualTo(StorageNames.TICK_QUEUE);
        assertThat(StorageNames.tickQueue(1)).isEqualTo("sequencer-ticks-1");
        assertThat(StorageNames.tickPoisonQueue(0)).isEqualTo(StorageNames.TICK_POISON_QUEUE);
        assertThat(StorageNames.tickPoisonQueue(3)).isEqualTo("sequencer-ticks-3-poison");
        assertThatThrownBy(() -> StorageNames.tickQueue(TimerShard.MAX)).hasMessage("shard must be 0 to 3, was 4");
    }

    @Test
    void every_shard_up_to_the_most_there_can_be_has_a_tick_function_on_its_queue() {
        Map<String, String> queueByFunction = new TreeMap<>();
        for (Method method : TickFunction.class.getDeclaredMethods()) {
            FunctionName name = method.getAnnotation(FunctionName.class);
            if (name == null) {
                continue;
            }
            for (Parameter parameter : method.getParameters()) {
                QueueTrigger trigger = parameter.getAnnotation(QueueTrigger.class);
                if (trigger != null) {
                    queueByFunction.put(name.value(), trigger.queueName());
                }
            }
        }
        Map<String, String> expected = new TreeMap<>();
        for (int shard = 0; shard < TimerShard.MAX; shard++) {
            expected.put(TickFunction.NAMES.get(shard), StorageNames.tickQueue(shard));
        }
        assertThat(TickFunction.NAMES).hasSize(TimerShard.MAX);
        assertThat(queueByFunction).isEqualTo(expected);
    }
}
