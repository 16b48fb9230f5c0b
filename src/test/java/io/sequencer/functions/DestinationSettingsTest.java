package io.sequencer.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.domain.DestinationPolicy;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DestinationSettingsTest {

    @Test
    void loopback_is_refused_unless_the_setting_says_true() {
        assertThat(FunctionApp.destinationPolicy(Map.<String, String>of()::get)).isEqualTo(new DestinationPolicy(false, false));
        assertThat(FunctionApp.destinationPolicy(Map.of(FunctionApp.ALLOW_LOOPBACK_SETTING, " TRUE ")::get).allowLoopback())
                .isTrue();
        assertThat(FunctionApp.destinationPolicy(Map.of(FunctionApp.ALLOW_LOOPBACK_SETTING, "false")::get).allowLoopback())
                .isFalse();
        assertThatThrownBy(() -> FunctionApp.destinationPolicy(Map.of(FunctionApp.ALLOW_LOOPBACK_SETTING, "yes")::get))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(FunctionApp.ALLOW_LOOPBACK_SETTING);
    }

    @Test
    void on_azure_only_https_is_allowed() {
        assertThat(FunctionApp.destinationPolicy(Map.of("WEBSITE_INSTANCE_ID", "a1b2c3")::get))
                .isEqualTo(DestinationPolicy.STRICT);
    }
}
