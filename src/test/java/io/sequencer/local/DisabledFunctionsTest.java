package io.sequencer.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The local host leaves out a function an app setting disables, as the Functions host does. */
class DisabledFunctionsTest {
    private final StagedApp app = new StagedApp(Path.of("staged"), "api",
            new StagedApp.QueueOptions(16, 8, Duration.ofSeconds(1), Duration.ofSeconds(30), 5, "base64"), Duration.ofMinutes(5),
            List.of(new StagedApp.FunctionDefinition("sweepPoison", "x.Sweep", "sweep", new StagedApp.TimerTrigger("*/30 * * * * *")),
                    new StagedApp.FunctionDefinition("pump", "x.Pump", "pump", new StagedApp.TimerTrigger("*/15 * * * * *")),
                    new StagedApp.FunctionDefinition("health", "x.Health", "health",
                            new StagedApp.HttpTrigger("health", List.of("GET"), "ANONYMOUS"))));

    private List<String> enabled(Map<String, String> settings) {
        return app.withoutDisabled(settings).functions().stream().map(StagedApp.FunctionDefinition::name).toList();
    }

    @Test
    void a_function_whose_disabled_setting_is_true_or_1_is_left_out() {
        assertThat(enabled(Map.of("AzureWebJobs.sweepPoison.Disabled", "true"))).containsExactly("pump", "health");
        assertThat(enabled(Map.of("AzureWebJobs.health.Disabled", " TRUE ", "AzureWebJobs.pump.Disabled", "1")))
                .containsExactly("sweepPoison");
    }

    @Test
    void any_other_value_or_no_setting_leaves_every_function_enabled() {
        assertThat(enabled(Map.of())).containsExactly("sweepPoison", "pump", "health");
        assertThat(enabled(Map.of("AzureWebJobs.pump.Disabled", "false", "AzureWebJobs.sweepPoison.Disabled", "")))
                .containsExactly("sweepPoison", "pump", "health");
    }
}
