package io.sequencer.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.channel.messenger.MessengerType;
import io.sequencer.channel.sendgrid.SendGridType;
import io.sequencer.channel.webhook.WebhookType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link ChannelTypes} is the one registration of channel types, and each part of the app gets its view from it. */
class ChannelTypesTest {

    @Test
    void every_type_is_registered_once_in_order_and_a_second_registration_of_a_name_is_refused() {
        assertThat(ChannelTypes.ALL.types()).extracting(ChannelType::name)
                .containsExactly("webhook", "messenger", "sendgrid");
        assertThatThrownBy(() -> ChannelTypes.ALL.with(new WebhookType()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("webhook");
    }

    @Test
    void each_type_names_its_own_configuration_record_and_its_parts_agree_with_it() {
        for (ChannelType<?> type : ChannelTypes.ALL.types()) {
            assertThat(type.rules().config()).as(type.name()).isEqualTo(type.config());
            assertThat(type.form().config()).as(type.name()).isEqualTo(type.config());
            assertThat(type.form().type()).as(type.name()).isEqualTo(type.name());
            assertThat(type.storedForm().config()).as(type.name()).isEqualTo(type.config());
            assertThat(type.storedForm().type()).as(type.name()).isEqualTo(type.name());
        }
    }

    @Test
    void the_platforms_that_publish_a_rate_read_it_from_their_own_setting_with_their_default() {
        assertThat(ChannelTypes.ALL.ratesPerDestination(new SettingReader(name -> null)))
                .isEqualTo(Map.of("messenger", 300.0, "sendgrid", 100.0));
        assertThat(ChannelTypes.ALL.ratesPerDestination(new SettingReader(Map.of(MessengerType.RATE_SETTING, "250",
                SendGridType.RATE_SETTING, "50")::get))).isEqualTo(Map.of("messenger", 250.0, "sendgrid", 50.0));
        assertThatThrownBy(() -> ChannelTypes.ALL.ratesPerDestination(
                new SettingReader(Map.of(MessengerType.RATE_SETTING, "0")::get)))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith(MessengerType.RATE_SETTING);
    }

    @Test
    void the_settings_the_types_read_are_listed_for_the_app() {
        assertThat(ChannelTypes.ALL.settingNames()).containsExactly(MessengerType.RATE_SETTING,
                MessengerType.GRAPH_BASE_SETTING, SendGridType.RATE_SETTING, SendGridType.BASE_URL_SETTING);
    }
}
