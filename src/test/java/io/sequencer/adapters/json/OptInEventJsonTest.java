package io.sequencer.adapters.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.domain.FieldError;
import io.sequencer.domain.subscriber.EventType;
import io.sequencer.domain.subscriber.MarketingOptIn.Frequency;
import io.sequencer.domain.subscriber.MarketingOptIn.Status;
import io.sequencer.domain.subscriber.OptInReport;
import io.sequencer.domain.subscriber.SubscriberEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** An {@code optin} event carries the {@code optin} object of Meta's {@code messaging_optins} webhook as it came. */
class OptInEventJsonTest {

    private static SubscriberEvent one(String body) {
        List<EventJson.Entry> entries = EventJson.parse(body);
        return entries.get(0).event().orElseThrow(() -> new AssertionError(entries.get(0).problem()));
    }

    private static List<FieldError> problems(String body) {
        return EventJson.parse(body).get(0).problem().orElseThrow().errors();
    }

    @Test
    void the_webhook_optin_object_is_read_as_meta_sends_it() {
        SubscriberEvent event = one("""
                {"subscriberId":"6543210","type":"optin","at":"2026-03-01T10:00:00Z",
                 "optin":{"type":"notification_messages","payload":"spring","title":"Deals",
                          "notification_messages_token":"6830154821917340000",
                          "notification_messages_frequency":"WEEKLY","notification_messages_timezone":"Europe/Paris",
                          "token_expiry_timestamp":1798761600000,"user_token_status":"NOT_REFRESHED"}}""");
        assertThat(event.type()).isEqualTo(EventType.OPTIN);
        assertThat(event.optin()).contains(new OptInReport(Optional.of("6830154821917340000"),
                Optional.of(Instant.ofEpochMilli(1798761600000L)), Optional.of(Frequency.WEEKLY), Status.OPTED_IN));
    }

    @Test
    void stop_and_resume_are_read_in_either_spelling_and_a_stop_needs_no_token() {
        assertThat(one("""
                {"subscriberId":"a","type":"optin","optin":{"notification_messages_status":"STOP_NOTIFICATIONS"}}""")
                .optin().orElseThrow().status()).isEqualTo(Status.STOP_NOTIFICATIONS);
        assertThat(one("""
                {"subscriberId":"a","type":"optin","optin":{"notification_messages_token":"t",
                 "notification_messages_status":"RESUME NOTIFICATIONS","token_expiry_timestamp":"1798761600000"}}""")
                .optin().orElseThrow()).satisfies(o -> {
                    assertThat(o.status()).isEqualTo(Status.RESUME_NOTIFICATIONS);
                    assertThat(o.expiresAt()).contains(Instant.ofEpochMilli(1798761600000L));
                });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {"subscriberId":"a","type":"optin"}                                                        | optin
            {"subscriberId":"a","type":"optin","optin":"tok"}                                          | optin
            {"subscriberId":"a","type":"optin","optin":{}}                                             | optin.notification_messages_token
            {"subscriberId":"a","type":"optin","optin":{"notification_messages_status":"RESUME_NOTIFICATIONS"}} | optin.notification_messages_token
            {"subscriberId":"a","type":"optin","optin":{"notification_messages_token":"t","notification_messages_status":"PAUSE"}} | optin.notification_messages_status
            {"subscriberId":"a","type":"optin","optin":{"notification_messages_token":"t","notification_messages_frequency":"HOURLY"}} | optin.notification_messages_frequency
            {"subscriberId":"a","type":"optin","optin":{"notification_messages_token":"t","token_expiry_timestamp":1798761600}} | optin.token_expiry_timestamp
            {"subscriberId":"a","type":"optin","optin":{"notification_messages_token":"t","token_expiry_timestamp":"soon"}} | optin.token_expiry_timestamp
            {"subscriberId":"a","type":"optin","optin":{"notification_messages_token":7}}              | optin.notification_messages_token
            {"subscriberId":"a","type":"optin","optin":{"notification_messages_token":" "}}            | optin.notification_messages_token
            {"subscriberId":"a","type":"optin","optin":{"notification_messages_token":"t","tokn":"x"}} | optin.tokn
            {"subscriberId":"a","type":"read","optin":{"notification_messages_token":"t"}}             | optin
            """)
    void a_bad_opt_in_is_a_400_naming_the_field(String body, String field) {
        assertThat(problems(body)).extracting(FieldError::field).containsExactly(field);
    }

    @Test
    void in_a_list_the_field_carries_the_entry_index_and_the_others_still_count() {
        List<EventJson.Entry> entries = EventJson.parse("""
                [{"subscriberId":"a","type":"read"},
                 {"subscriberId":"a","type":"optin","optin":{"notification_messages_token":"%s"}}]"""
                .formatted("x".repeat(513)));
        assertThat(entries.get(0).event()).isPresent();
        assertThat(entries.get(1).problem().orElseThrow().errors()).extracting(FieldError::field)
                .containsExactly("[1].optin.notification_messages_token");
    }
}
