package io.sequencer.adapters.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.adapters.json.stored.StoredChannelForms;
import io.sequencer.adapters.json.stored.StoredSequence;
import io.sequencer.channel.ChannelTypes;
import io.sequencer.channel.messenger.MessengerConfig;
import io.sequencer.channel.sendgrid.SendGridConfig;
import io.sequencer.channel.webhook.WebhookConfig;
import io.sequencer.domain.FieldError;
import io.sequencer.domain.Invalid;
import io.sequencer.domain.sequence.Sequence;
import io.sequencer.domain.sequence.SequenceDraft;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Messenger and SendGrid channels in a sequence definition: read, checked against their messages, written back. */
class ChannelJsonTest {
    private static final ChannelForms CHANNELS = ChannelTypes.ALL.forms();
    private static final StoredChannelForms STORED_CHANNELS = ChannelTypes.ALL.storedForms();
    private static final String MESSENGER = """
            {"name":"m","channel":{"type":"messenger","pageId":"1234567890","pageTokenSetting":"PAGE_TOKEN"},
             "steps":[{"id":"a","delay":{"amount":0,"unit":"seconds"},"message":{"text":"hi"}},
                      {"id":"b","delay":{"amount":2,"unit":"days"},"message":{"attachment":{"type":"template"}},
                       "tag":"POST_PURCHASE_UPDATE"},
                      {"id":"c","delay":{"amount":2,"unit":"days"},"message":{"text":"back?"},"outsideWindow":"hold"}]}""";
    private static final String SENDGRID = """
            {"name":"e","channel":{"type":"sendgrid","apiKeySetting":"SENDGRID_KEY","from":"news@example.com","fromName":"Acme"},
             "steps":[{"id":"a","delay":{"amount":0,"unit":"seconds"},"message":{"templateId":"d-123","dynamicTemplateData":{"x":1}}},
                      {"id":"b","delay":{"amount":1,"unit":"days"},"message":{"subject":"Hi","text":"Hello","html":"<p>Hello</p>"}}]}""";

    @Test
    void a_messenger_sequence_is_read_with_tags_and_window_policy_and_written_back_the_same() {
        SequenceDraft draft = SequenceJson.parse(MESSENGER, CHANNELS);
        assertThat(draft.channel()).isEqualTo(new MessengerConfig("1234567890", "PAGE_TOKEN", "21.0"));
        assertThat(draft.steps().get(1).messaging().tag()).contains("POST_PURCHASE_UPDATE");
        assertThat(draft.steps().get(2).messaging().holdOutsideWindow()).isTrue();
        Sequence stored = Sequence.create("acme", "m", draft, Instant.EPOCH);
        String written = Json.write(SequenceJson.write(stored, CHANNELS));
        assertThat(written).doesNotContain("EAAG");
        assertThat(stored.sameDefinitionAs(SequenceJson.parse(written, CHANNELS))).isTrue();
        assertThat(StoredSequence.read("acme", "m", StoredSequence.write(stored, STORED_CHANNELS), STORED_CHANNELS)).isEqualTo(stored);
    }

    @Test
    void a_sendgrid_sequence_is_read_and_written_back_the_same() {
        SequenceDraft draft = SequenceJson.parse(SENDGRID, CHANNELS);
        assertThat(draft.channel()).isEqualTo(new SendGridConfig("SENDGRID_KEY", "news@example.com", Optional.of("Acme")));
        Sequence stored = Sequence.create("acme", "e", draft, Instant.EPOCH);
        assertThat(stored.sameDefinitionAs(SequenceJson.parse(Json.write(SequenceJson.write(stored, CHANNELS)), CHANNELS))).isTrue();
        assertThat(StoredSequence.read("acme", "e", StoredSequence.write(stored, STORED_CHANNELS), STORED_CHANNELS)).isEqualTo(stored);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            page id not numeric     | {"type":"messenger","pageId":"my-page","pageTokenSetting":"T"}                 | channel.pageId
            token setting missing   | {"type":"messenger","pageId":"1"}                                            | channel.pageTokenSetting
            token setting bad name  | {"type":"messenger","pageId":"1","pageTokenSetting":"page token"}              | channel.pageTokenSetting
            bad graph version       | {"type":"messenger","pageId":"1","pageTokenSetting":"T","graphVersion":"latest"} | channel.graphVersion
            token itself given      | {"type":"messenger","pageId":"1","pageTokenSetting":"T","token":"EAAG"}        | channel.token
            """)
    void each_bad_messenger_field_is_named(String why, String channel, String path) {
        String body = "{\"name\":\"n\",\"channel\":" + channel + ",\"steps\":[{\"id\":\"a\",\"delay\":{\"amount\":1,"
                + "\"unit\":\"seconds\"},\"message\":{\"text\":\"x\"}}]}";
        assertThatThrownBy(() -> SequenceJson.parse(body, CHANNELS)).isInstanceOfSatisfying(Invalid.class,
                e -> assertThat(e.errors()).extracting(FieldError::field).contains(path));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            messenger message without text       | {"type":"messenger","pageId":"1","pageTokenSetting":"T"} | {"title":"x"}                   | | steps[0].message
            tag on a webhook step                | {"type":"webhook","url":"http://h/x"}                      | {"text":"x"}                    | "tag":"ACCOUNT_UPDATE" | steps[0].tag
            unknown tag                          | {"type":"messenger","pageId":"1","pageTokenSetting":"T"} | {"text":"x"}                    | "tag":"PROMO"          | steps[0].tag
            bad window policy                    | {"type":"messenger","pageId":"1","pageTokenSetting":"T"} | {"text":"x"}                    | "outsideWindow":"wait" | steps[0].outsideWindow
            email without subject                | {"type":"sendgrid","apiKeySetting":"K","from":"a@b.co"}  | {"text":"x"}                    | | steps[0].message.subject
            email without body                   | {"type":"sendgrid","apiKeySetting":"K","from":"a@b.co"}  | {"subject":"x"}                 | | steps[0].message
            email unknown field                  | {"type":"sendgrid","apiKeySetting":"K","from":"a@b.co"}  | {"subject":"x","text":"y","to":"z"} | | steps[0].message.to
            bad sender                           | {"type":"sendgrid","apiKeySetting":"K","from":"news"}    | {"subject":"x","text":"y"}      | | channel.from
            """)
    void messages_must_suit_their_channel(String why, String channel, String message, String extra, String path) {
        String body = "{\"name\":\"n\",\"channel\":" + channel + ",\"steps\":[{\"id\":\"a\",\"delay\":{\"amount\":1,"
                + "\"unit\":\"seconds\"},\"message\":" + message + (extra == null ? "" : "," + extra) + "}]}";
        assertThatThrownBy(() -> SequenceJson.parse(body, CHANNELS)).isInstanceOfSatisfying(Invalid.class,
                e -> assertThat(e.errors()).extracting(FieldError::field).contains(path));
    }

    private static String withChannel(String channel) {
        return "{\"name\":\"n\",\"channel\":" + channel
                + ",\"steps\":[{\"id\":\"a\",\"delay\":{\"amount\":0,\"unit\":\"seconds\"},\"message\":{\"subject\":\"s\",\"text\":\"hi\"}}]}";
    }

    @Test
    void channels_may_name_an_account_secret_instead_of_an_app_setting_and_keep_it_through_storage() {
        for (var expected : List.of(
                new WebhookConfig(URI.create("https://hooks.example/x"), Optional.empty(), Optional.of("hook")),
                new MessengerConfig("1234", Optional.empty(), "21.0", Optional.of("page-token")),
                new SendGridConfig(Optional.empty(), "news@example.com", Optional.empty(), Optional.of("sendgrid.key")))) {
            String written = Json.write(CHANNELS.write(expected));
            SequenceDraft draft = SequenceJson.parse(withChannel(written), CHANNELS);
            assertThat(draft.channel()).isEqualTo(expected);
            Sequence stored = Sequence.create("acme", "s", draft, Instant.EPOCH);
            assertThat(StoredSequence.read("acme", "s", StoredSequence.write(stored, STORED_CHANNELS), STORED_CHANNELS).channel()).isEqualTo(expected);
            assertThat(expected.accountSecret()).isPresent();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"type":"webhook","url":"https://h.example/x","secret":"a","secretSetting":"B"}        | channel.secret
            {"type":"messenger","pageId":"1","pageToken":"a","pageTokenSetting":"B"}               | channel.pageToken
            {"type":"sendgrid","apiKey":"a","apiKeySetting":"B","from":"a@b.co"}                   | channel.apiKey
            {"type":"webhook","url":"https://h.example/x","secret":"a b"}                           | channel.secret
            {"type":"messenger","pageId":"1","pageToken":"../x"}                                    | channel.pageToken
            {"type":"messenger","pageId":"1"}                                                       | channel.pageTokenSetting
            {"type":"sendgrid","from":"a@b.co","apiKey":7}                                          | channel.apiKey
            """)
    void a_credential_is_named_one_way_with_a_valid_name(String channel, String field) {
        assertThatThrownBy(() -> SequenceJson.parse(withChannel(channel), CHANNELS)).isInstanceOfSatisfying(Invalid.class,
                e -> assertThat(e.errors()).extracting(FieldError::field).contains(field));
    }
}
