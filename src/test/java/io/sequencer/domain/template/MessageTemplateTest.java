package io.sequencer.domain.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentData;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.enrollment.Origin;
import io.sequencer.domain.enrollment.StartEvent;
import io.sequencer.domain.sequence.Delay;
import io.sequencer.domain.sequence.DelayUnit;
import io.sequencer.domain.sequence.Step;
import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.domain.subscriber.Attributes;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MessageTemplateTest {
    private static final Instant NOW = Instant.parse("2026-03-01T23:30:00Z");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final EnrollmentKey KEY = new EnrollmentKey("acme", "welcome", "sub-1");

    private static TemplateValues ann() {
        Attributes attributes = new Attributes(Map.of(
                "first_name", new AttributeValue.Text("ann"),
                "orders", new AttributeValue.Number(new BigDecimal("3")),
                "vip", new AttributeValue.Flag(true)));
        Origin origin = new Origin(Optional.of("welcome#1:event:id:e-7"), 1,
                new EnrollmentData(Map.of("orderId", "A-17", "items", List.of("tea", "cups"))),
                Optional.of(new StartEvent("clicked", Optional.of("cta"), Optional.of(NOW.minusSeconds(60)),
                        Optional.of("e-7"), Optional.of("welcome"), Optional.of("s1"))));
        Enrollment enrollment = Enrollment.start(KEY, 2, new Step("s1", Delay.of(0, DelayUnit.SECONDS), "{}"), NOW, NOW.minusSeconds(3600),
                "tok", Optional.of(BERLIN), origin);
        return TemplateValues.forStep(enrollment, "s2", attributes, BERLIN, NOW);
    }

    private static TemplateValues nobody() {
        return TemplateValues.forBroadcast("acme", "sub-2", Attributes.NONE, ZoneId.of("UTC"), NOW);
    }

    private static String render(String text, TemplateValues values) {
        return MessageTemplate.render(text, values, MessageTemplate.RENDER_TIME);
    }

    @Test
    void an_attribute_renders_or_falls_back_to_its_default() {
        String text = "Hi {{ subscriber.attributes.first_name | default: 'friend' }}";

        assertThat(render(text, ann())).isEqualTo("Hi ann");
        assertThat(render(text, nobody())).isEqualTo("Hi friend");
    }

    @Test
    void an_unknown_variable_renders_empty() {
        assertThat(render("[{{ subscriber.attributes.nope }}{{ whatever.deep.path }}]", ann())).isEqualTo("[]");
    }

    @Test
    void the_text_filters_work() {
        assertThat(render("{{ 'ann' | upcase }} {{ 'ANN' | downcase }} {{ 'ann lee' | capitalize }} "
                + "{{ 'a long sentence' | truncate: 6 }}", ann())).isEqualTo("ANN ann Ann lee a l...");
    }

    @Test
    void every_variable_is_named_as_the_api_names_it() {
        String text = "{{ subscriber.id }} {{ subscriber.timezone }} {{ subscriber.attributes.orders }} "
                + "{{ subscriber.attributes.vip }} {{ account.id }} | {{ enrollment.sequenceId }} {{ enrollment.stepId }} "
                + "{{ enrollment.epoch }} {{ enrollment.enrolledAt }} {{ enrollment.stepsSent }} "
                + "{{ enrollment.data.orderId }} {{ enrollment.data.items | join: '+' }} | {{ event.type }} {{ event.name }} "
                + "{{ event.eventId }} {{ event.at }} | {{ now }}";

        assertThat(render(text, ann())).isEqualTo("sub-1 Europe/Berlin 3 true acme | welcome s2 2 "
                + "2026-03-01T23:30:00+01:00 0 A-17 tea+cups | clicked cta e-7 2026-03-02T00:29:00+01:00 | "
                + "2026-03-02T00:30:00+01:00");
    }

    @Test
    void now_and_date_are_in_the_subscribers_zone() {
        // 23:30 UTC is already the next day in Berlin.
        assertThat(render("{{ 'now' | date: '%Y-%m-%d %H:%M' }}", ann())).isEqualTo("2026-03-02 00:30");
        assertThat(render("{{ now | date: '%A %H:%M' }}", ann())).isEqualTo("Monday 00:30");
        assertThat(render("{{ '2026-07-01T08:00:00Z' | date: '%H:%M' }}", ann())).isEqualTo("10:00");
        assertThat(render("{{ '2026-07-01' | date: '%d.%m.%Y' }}", ann())).isEqualTo("01.07.2026");
        assertThat(render("{{ 0 | date: '%H:%M' }}", ann())).isEqualTo("01:00");
        assertThat(render("{{ 'now' | date: '%H:%M' }}", nobody())).isEqualTo("23:30");
        assertThat(render("{{ 'not a date' | date: '%H:%M' }}", nobody())).isEqualTo("not a date");
    }

    @Test
    void a_string_without_markup_is_not_parsed() {
        // Not valid Liquid if it were parsed; it is sent as written.
        assertThat(render("50% off {x} }} { %", ann())).isEqualTo("50% off {x} }} { %");
        assertThat(MessageTemplate.renderMessage("{\"text\":\"Hi } {\"}", ann())).isEqualTo("{\"text\":\"Hi } {\"}");
    }

    @Test
    void a_message_renders_each_string_value_and_keeps_keys_and_layout() {
        String message = "{\"text\":\"Hi {{ subscriber.attributes.first_name | capitalize }} \\\"x\\\"\","
                + "\"{{ key }}\":[\"{{ account.id }}\",2,true,{\"n\":\"\\u00e9{{ 'a' }}\"}]}";

        assertThat(MessageTemplate.renderMessage(message, ann())).isEqualTo(
                "{\"text\":\"Hi Ann \\\"x\\\"\",\"{{ key }}\":[\"acme\",2,true,{\"n\":\"\u00e9a\"}]}");
    }

    @Test
    void a_rendered_value_is_escaped_as_json() {
        TemplateValues values = TemplateValues.forBroadcast("acme", "sub-2",
                new Attributes(Map.of("quote", new AttributeValue.Text("say \"hi\"\n\\"))), ZoneId.of("UTC"), NOW);

        assertThat(MessageTemplate.renderMessage("{\"text\":\"{{ subscriber.attributes.quote }}\"}", values))
                .isEqualTo("{\"text\":\"say \\\"hi\\\"\\n\\\\\"}");
    }

    @Test
    void a_syntax_error_says_where() {
        assertThatThrownBy(() -> MessageTemplate.check("Hi\n{{ subscriber.id "))
                .isInstanceOfSatisfying(TemplateFailure.class, failure -> {
                    assertThat(failure.line()).isEqualTo(2);
                    assertThat(failure.column()).isPositive();
                    assertThat(failure.described()).endsWith(" at line 2, column " + failure.column())
                            .doesNotContain("index");
                });
        assertThatThrownBy(() -> MessageTemplate.check("{% if x %}open"))
                .isInstanceOf(TemplateFailure.class);
        assertThatThrownBy(() -> MessageTemplate.check("{% nosuchtag %}"))
                .isInstanceOf(TemplateFailure.class);
        assertThatThrownBy(() -> MessageTemplate.check("Hi\n  {{ subscriber.id | upcase | nosuchfilter }}"))
                .isInstanceOfSatisfying(TemplateFailure.class, failure -> assertThat(failure.described())
                        .isEqualTo("unknown filter 'nosuchfilter' at line 2, column 29"));
    }

    @Test
    void includes_are_refused() {
        assertThatThrownBy(() -> MessageTemplate.check("{% include 'secrets.txt' %}"))
                .isInstanceOf(TemplateFailure.class).hasMessageContaining("include is not allowed");
        assertThatThrownBy(() -> render("{% if false %}{% include 'x' %}{% endif %}", ann()))
                .isInstanceOf(TemplateFailure.class).hasMessageContaining("include is not allowed");
    }

    @Test
    void a_java_object_among_the_values_is_only_its_text() {
        record Secretive(String secret) {
            public String getSecret() {
                return secret;
            }

            @Override
            public String toString() {
                return "an object";
            }
        }
        TemplateValues values = new TemplateValues(Map.of("thing", new Secretive("s3cr3t"),
                "list", List.of(new Secretive("s3cr3t"))), ZoneId.of("UTC"), NOW);

        assertThat(render("{{ thing }}|{{ thing.secret }}|{{ thing.getSecret }}|{{ thing.class }}|{{ list[0].secret }}",
                values)).isEqualTo("an object||||");
    }

    @Test
    void loops_are_bounded() {
        TemplateValues values = new TemplateValues(Map.of(), ZoneId.of("UTC"), NOW);

        assertThat(render("{% for i in (1..3) %}{{ i }}{% endfor %}", values)).isEqualTo("123");
        assertThatThrownBy(() -> render("{% for i in (1..100000) %}{% endfor %}", values))
                .isInstanceOf(TemplateFailure.class);
    }

    @Test
    void text_that_grows_past_the_limit_fails() {
        TemplateValues values = new TemplateValues(Map.of(), ZoneId.of("UTC"), NOW);
        String doubling = "{% assign s = 'xxxxxxxxxxxxxxxx' %}"
                + "{% for i in (1..20) %}{% assign s = s | append: s %}{% endfor %}{{ s | size }}";

        assertThatThrownBy(() -> render(doubling, values))
                .isInstanceOf(TemplateFailure.class).hasMessageContaining("filter append made");
        assertThatThrownBy(() -> render("{% for i in (1..999) %}{{ 'xxxxxxxxxxxxxxxxxxxxxxxxx' }}{% endfor %}", values))
                .isInstanceOf(TemplateFailure.class);
    }

    @Test
    void a_render_past_its_time_limit_fails() {
        assertThatThrownBy(() -> MessageTemplate.render("{{ 'a' | upcase }}", ann(), Duration.ofNanos(-1)))
                .isInstanceOf(TemplateFailure.class).hasMessageContaining("time limit");
    }
}
