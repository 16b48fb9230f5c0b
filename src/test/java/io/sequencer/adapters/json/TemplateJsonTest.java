package io.sequencer.adapters.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.channel.ChannelTypes;
import io.sequencer.domain.FieldError;
import io.sequencer.domain.Invalid;
import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentData;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.enrollment.Origin;
import io.sequencer.domain.sequence.Delay;
import io.sequencer.domain.sequence.DelayUnit;
import io.sequencer.domain.sequence.Step;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Message templates and enrollment data as the API reads them. */
class TemplateJsonTest {
    private static final ChannelForms CHANNELS = ChannelTypes.ALL.forms();
    private static final String WEBHOOK = "\"channel\":{\"type\":\"webhook\",\"url\":\"https://host.example/hooks/seq\"}";
    private static final String MESSENGER =
            "\"channel\":{\"type\":\"messenger\",\"pageId\":\"1234567890\",\"pageTokenSetting\":\"PAGE_TOKEN\"}";

    private static String sequence(String channel, String... messages) {
        StringBuilder steps = new StringBuilder();
        for (int i = 0; i < messages.length; i++) {
            steps.append(i == 0 ? "" : ",").append("{\"id\":\"s").append(i)
                    .append("\",\"delay\":{\"amount\":1,\"unit\":\"days\"},\"message\":").append(messages[i]).append('}');
        }
        return "{\"name\":\"n\"," + channel + ",\"steps\":[" + steps + "]}";
    }

    @Test
    void a_template_syntax_error_names_the_field_and_the_position() {
        String body = sequence(WEBHOOK, "{\"text\":\"Hi\"}", "{\"text\":\"ok {{ subscriber.id }}\"}",
                "{\"text\":\"Hi\",\"extra\":{\"lines\":[\"fine\",\"Hi\\n{{ subscriber.attributes.name | }}\"]}}");

        assertThatThrownBy(() -> SequenceJson.parse(body, CHANNELS)).isInstanceOfSatisfying(Invalid.class, e -> {
            assertThat(e.errors()).extracting(FieldError::field).containsExactly("steps[2].message.extra.lines[1]");
            assertThat(e.errors().get(0).reason()).startsWith("is not a valid template: ")
                    .matches(".* at line 2, column \\d+$");
        });
    }

    @Test
    void an_include_or_an_unknown_tag_is_refused_at_definition() {
        String body = sequence(WEBHOOK, "{\"text\":\"{% include 'x' %}\"}", "{\"text\":\"{% shell 'ls' %}\"}");

        assertThatThrownBy(() -> SequenceJson.parse(body, CHANNELS)).isInstanceOfSatisfying(Invalid.class,
                e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactly("steps[0].message.text", "steps[1].message.text"));
    }

    @Test
    void a_broadcasts_message_is_checked_the_same_way() {
        String body = "{\"sendAt\":\"2026-12-04T10:00:00Z\"," + WEBHOOK + ",\"message\":{\"text\":\"{{ oops \"},"
                + "\"audience\":{\"subscribers\":[\"a\"]}}";

        assertThatThrownBy(() -> BroadcastJson.parse(body, CHANNELS)).isInstanceOfSatisfying(Invalid.class,
                e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("message.text"));
    }

    @Test
    void a_plain_messenger_text_is_at_most_2000_characters_a_templated_one_is_checked_at_the_send() {
        String tooLong = "{\"text\":\"" + "x".repeat(2001) + "\"}";
        String templated = "{\"text\":\"" + "x".repeat(2001) + "{{ subscriber.id }}\"}";

        assertThatThrownBy(() -> SequenceJson.parse(sequence(MESSENGER, tooLong), CHANNELS))
                .isInstanceOfSatisfying(Invalid.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactly("steps[0].message.text"));
        assertThat(SequenceJson.parse(sequence(MESSENGER, templated), CHANNELS).steps()).hasSize(1);
    }

    @Test
    void enroll_takes_data_kept_as_plain_values() {
        EnrollmentJson.EnrollBody body = EnrollmentJson.parseEnrollRequest(Optional.of(
                "{\"data\":{\"orderId\":\"A-17\",\"total\":42.5,\"items\":[\"tea\"],\"gift\":true,\"note\":null}}"));

        assertThat(body.data().values()).containsEntry("orderId", "A-17")
                .containsEntry("total", new BigDecimal("42.5")).containsEntry("items", List.of("tea"))
                .containsEntry("gift", true).containsEntry("note", null);
        assertThat(body.request(new EnrollmentKey("acme", "s", "ann")).origin().data())
                .isEqualTo(body.data());
    }

    @Test
    void data_over_8_kib_or_not_an_object_is_refused_by_name() {
        String big = "{\"data\":{\"blob\":\"" + "x".repeat(EnrollmentData.MAX_BYTES) + "\"}}";
        for (String bad : List.of(big, "{\"data\":[1]}", "{\"data\":\"text\"}")) {
            assertThatThrownBy(() -> EnrollmentJson.parseEnrollRequest(Optional.of(bad)))
                    .isInstanceOfSatisfying(Invalid.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                            .containsExactly("data"));
        }
        assertThat(EnrollmentJson.parseEnrollRequest(Optional.of(
                "{\"data\":{\"blob\":\"" + "x".repeat(EnrollmentData.MAX_BYTES - 20) + "\"}}")).data().values())
                .containsKey("blob");
    }

    @Test
    void a_batch_entry_takes_data_and_a_bad_one_is_rejected_alone() {
        String big = "x".repeat(EnrollmentData.MAX_BYTES);
        List<SubscriberJson.BatchEntry> entries = SubscriberJson.parseBatch("{\"subscribers\":["
                + "{\"subscriberId\":\"ann\",\"data\":{\"orderId\":\"A-17\"}},"
                + "{\"subscriberId\":\"bob\",\"data\":{\"blob\":\"" + big + "\"}}]}");

        assertThat(entries.get(0).body().orElseThrow().data()).isEqualTo(new EnrollmentData(Map.of("orderId", "A-17")));
        assertThat(entries.get(1).problem().orElseThrow().errors()).extracting(FieldError::field)
                .containsExactly("subscribers[1].data");
    }

    @Test
    void an_enrollment_shows_its_data() {
        EnrollmentJson.EnrollBody body = EnrollmentJson.parseEnrollRequest(Optional.of("{\"data\":{\"orderId\":\"A-17\"}}"));
        Enrollment enrollment = Enrollment.start(new EnrollmentKey("acme", "s", "ann"), 1,
                new Step("a", Delay.of(1, DelayUnit.DAYS), "{}"), Instant.EPOCH, Instant.EPOCH, "t", Optional.empty(),
                Origin.host(body.data()));

        assertThat(EnrollmentJson.write(enrollment).path("data").path("orderId").asText()).isEqualTo("A-17");
    }
}
