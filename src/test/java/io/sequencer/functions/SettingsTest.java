package io.sequencer.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.channel.messenger.MessengerConfig;
import io.sequencer.channel.messenger.MessengerType;
import io.sequencer.channel.sendgrid.SendGridConfig;
import io.sequencer.channel.sendgrid.SendGridType;
import io.sequencer.engine.send.SendLimits;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {
    private static final Map<String, String> STORAGE = Map.of("AzureWebJobsStorage", "UseDevelopmentStorage=true");

    private static Settings parse(Map<String, String> extra) {
        Map<String, String> all = new HashMap<>(STORAGE);
        all.putAll(extra);
        return Settings.parse(all::get);
    }

    @Test
    void defaults_apply_to_every_setting_left_out() {
        Settings settings = parse(Map.of());
        assertThat(settings.horizon()).isEqualTo(Duration.ofMinutes(15));
        assertThat(settings.tickShards()).isEqualTo(Settings.DEFAULT_TICK_SHARDS);
        assertThat(settings.sendLimits()).isEqualTo(SendLimits.DEFAULTS.withRates(
                Map.of(MessengerConfig.TYPE, 300.0, SendGridConfig.TYPE, 100.0)));
        assertThat(settings.adminKey()).isEmpty();
        assertThat(settings.accountSettings().prefixFor("acme")).isEmpty();
    }

    @Test
    void given_settings_are_read_into_their_types() {
        Settings settings = parse(Map.of(Settings.HORIZON, "60", Settings.SENDS_PER_DESTINATION, "2",
                Settings.AGENT_HOLD, "5", "SEQUENCER_ACCOUNT_SETTING_PREFIX", "SEQ_{ACCOUNT}__", Settings.TICK_SHARDS, "3"));
        assertThat(settings.horizon()).isEqualTo(Duration.ofMinutes(1));
        assertThat(settings.tickShards()).isEqualTo(3);
        assertThat(settings.sendLimits().sendsPerDestination()).isEqualTo(2);
        assertThat(settings.sendLimits().agentHold()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.accountSettings().prefixFor("acme")).contains("SEQ_ACME__");
    }

    @Test
    void missing_storage_stops_start_up_naming_the_setting() {
        assertThatThrownBy(() -> Settings.parse(Map.<String, String>of()::get))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("AzureWebJobsStorage");
    }

    @Test
    void the_service_uris_the_bicep_deploys_are_a_storage_connection_without_an_account_name() {
        assertThatCode(() -> Settings.parse(Map.of(
                "AzureWebJobsStorage__queueServiceUri", "https://stseq.queue.core.windows.net/",
                "AzureWebJobsStorage__tableServiceUri", "https://stseq.table.core.windows.net/",
                "AzureWebJobsStorage__credential", "managedidentity")::get)).doesNotThrowAnyException();
    }

    @Test
    void an_unusable_setting_stops_start_up_naming_it() {
        for (String name : new String[] {Settings.HORIZON, Settings.TICK_SHARDS, MessengerType.RATE_SETTING, SendGridType.RATE_SETTING,
                Settings.MAX_INSTANCES, Settings.AGENT_HOLD, Settings.SENDS_PER_DESTINATION, Settings.CIRCUIT_OPEN}) {
            assertThatThrownBy(() -> parse(Map.of(name, "many"))).as(name)
                    .isInstanceOf(IllegalStateException.class).hasMessageStartingWith(name + " must be");
        }
        assertThatThrownBy(() -> parse(Map.of(Settings.SENDS_PER_DESTINATION, "0")))
                .hasMessage(Settings.SENDS_PER_DESTINATION + " must be 1 to 64, was 0");
        assertThatThrownBy(() -> parse(Map.of(Settings.TICK_SHARDS, "5")))
                .hasMessage(Settings.TICK_SHARDS + " must be 1 to 4, was 5");
        assertThatThrownBy(() -> parse(Map.of("SEQUENCER_ACCOUNT_SETTING_PREFIX", "{ACCOUNT}")))
                .hasMessageStartingWith("SEQUENCER_ACCOUNT_SETTING_PREFIX");
        assertThatThrownBy(() -> parse(Map.of("SEQUENCER_PUBLIC_BASE_URL", "https://x.example/path")))
                .hasMessageStartingWith("SEQUENCER_PUBLIC_BASE_URL");
        assertThatThrownBy(() -> parse(Map.of(Settings.ALLOW_LOOPBACK, "yes")))
                .hasMessageStartingWith(Settings.ALLOW_LOOPBACK);
    }
}
