package io.sequencer.adapters.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.domain.Invalid;
import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.engine.preview.PreviewSubject;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The bodies of a step's preview and test send, read like the API's subscriber fields and enroll data. */
class PreviewJsonTest {

    @Test
    void a_stored_or_an_inline_subscriber_with_data() {
        assertThat(PreviewJson.parsePreview("{\"subscriberId\":\"ann\",\"data\":{\"orderId\":\"A-17\"}}"))
                .isInstanceOfSatisfying(PreviewSubject.Stored.class, stored -> {
                    assertThat(stored.subscriberId()).isEqualTo("ann");
                    assertThat(stored.data().values()).containsEntry("orderId", "A-17");
                });
        assertThat(PreviewJson.parsePreview(
                "{\"subscriber\":{\"id\":\"bob\",\"timezone\":\"Europe/Berlin\",\"attributes\":{\"first_name\":\"Bob\"}}}"))
                .isEqualTo(new PreviewSubject.Inline("bob", Optional.of(ZoneId.of("Europe/Berlin")),
                        Map.of("first_name", Optional.of(new AttributeValue.Text("Bob"))),
                        io.sequencer.domain.enrollment.EnrollmentData.NONE));
        assertThat(PreviewJson.parsePreview("{\"subscriber\":{}}").subscriberId()).isEqualTo("preview");
    }

    @Test
    void a_test_send_names_its_tester_and_may_name_nobody_to_render_for() {
        PreviewJson.TestRequest test = PreviewJson.parseTest("{\"to\":\"2468\"}");
        assertThat(test.to()).isEqualTo("2468");
        assertThat(test.subject().subscriberId()).isEqualTo("preview");
    }

    @Test
    void every_bad_field_is_named() {
        assertField("{}", "subscriberId");
        assertField("{\"subscriberId\":\"a b\"}", "subscriberId");
        assertField("{\"subscriberId\":\"ann\",\"subscriber\":{}}", "subscriber");
        assertField("{\"subscriber\":[]}", "subscriber");
        assertField("{\"subscriber\":{\"timezone\":\"Mars/Olympus\"}}", "subscriber.timezone");
        assertField("{\"subscriber\":{\"attributes\":{\"x\":{}}}}", "subscriber.attributes.x");
        assertField("{\"subscriber\":{\"nickname\":\"x\"}}", "subscriber.nickname");
        assertField("{\"subscriberId\":\"ann\",\"data\":[1]}", "data");
        assertField("{\"subscriberId\":\"ann\",\"extra\":1}", "extra");
        assertThatThrownBy(() -> PreviewJson.parseTest("{\"subscriberId\":\"ann\"}")).isInstanceOfSatisfying(Invalid.class,
                invalid -> assertThat(invalid.errors().get(0).field()).isEqualTo("to"));
    }

    private static void assertField(String body, String field) {
        assertThatThrownBy(() -> PreviewJson.parsePreview(body)).as(body).isInstanceOfSatisfying(Invalid.class,
                invalid -> assertThat(invalid.errors()).anySatisfy(e -> assertThat(e.field()).isEqualTo(field)));
    }
}
