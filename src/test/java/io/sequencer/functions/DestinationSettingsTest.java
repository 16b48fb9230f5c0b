package io.sequencer.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.domain.address.DestinationPolicy;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DestinationSettingsTest {

    @Test
    void loopback_is_refused_unless_the_setting_says_true() {
        assertThat(Settings.destinationPolicy(Map.<String, String>of()::get)).isEqualTo(new DestinationPolicy(false, false));
        assertThat(Settings.destinationPolicy(Map.of(Settings.ALLOW_LOOPBACK, " TRUE ")::get).allowLoopback())
                .isTrue();
        assertThat(Settings.destinationPolicy(Map.of(Settings.ALLOW_LOOPBACK, "false")::get).allowLoopback())
                .isFalse();
        assertThatThrownBy(() -> Settings.destinationPolicy(Map.of(Settings.ALLOW_LOOPBACK, "yes")::get))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(Settings.ALLOW_LOOPBACK);
    }

    @Test
    void on_azure_only_https_is_allowed() {
        assertThat(Settings.destinationPolicy(Map.of("WEBSITE_INSTANCE_ID", "a1b2c3")::get))
                .isEqualTo(DestinationPolicy.STRICT);
    }
}
