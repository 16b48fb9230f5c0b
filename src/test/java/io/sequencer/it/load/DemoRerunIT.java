package io.sequencer.it.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.testing.RunScript;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./run demo} as a newcomer uses it: run, then run again on the storage data the first run kept. */
class DemoRerunIT {
    @TempDir
    Path azurite;

    @Test
    void the_demo_runs_again_on_the_data_the_last_run_kept_and_exits_0_each_time() {
        for (int run = 1; run <= 2; run++) {
            try (RunScript demo = RunScript.start(azurite, "demo")) {
                assertThat(demo.awaitExit(Duration.ofMinutes(4))).as("run %d ended; printed:%n%s", run, demo.output()).isTrue();
                assertThat(demo.exitValue()).as("run %d printed:%n%s", run, demo.output()).isZero();
            }
        }
    }
}
