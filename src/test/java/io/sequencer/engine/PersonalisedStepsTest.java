package io.sequencer.engine;

import static io.sequencer.engine.EngineFixture.ACCOUNT;
import static io.sequencer.engine.Reacting.event;
import static io.sequencer.engine.Reacting.on;
import static io.sequencer.engine.Reacting.sequence;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentData;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.enrollment.Origin;
import io.sequencer.domain.enrollment.StepOutcome;
import io.sequencer.domain.enrollment.StepRecord;
import io.sequencer.domain.sequence.Delay;
import io.sequencer.domain.sequence.DelayUnit;
import io.sequencer.domain.sequence.ReentryPolicy;
import io.sequencer.domain.sequence.SequenceRules;
import io.sequencer.domain.sequence.Step;
import io.sequencer.domain.sequence.Trigger;
import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.domain.subscriber.EventType;
import io.sequencer.engine.enrollment.EnrollRequest;
import io.sequencer.engine.send.Delivery;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Message templates rendered at the send: from the profile, the enroll's data and the starting event. */
class PersonalisedStepsTest {
    private final EngineFixture engine = new EngineFixture();

    private static Step step(String id, long delaySeconds, String text) {
        return new Step(id, Delay.of(delaySeconds, DelayUnit.SECONDS), "{\"text\":\"" + text + "\"}");
    }

    private static EnrollmentKey in(String sequenceId, String subscriberId) {
        return new EnrollmentKey(ACCOUNT, sequenceId, subscriberId);
    }

    private List<String> textsIn(String sequenceId) {
        return engine.channel.deliveries().stream().filter(d -> d.key().sequenceId().equals(sequenceId))
                .map(Delivery::message).toList();
    }

    @Test
    void a_step_is_sent_with_the_subscribers_attributes_the_enrolls_data_and_local_time() {
        engine.catalog.define(ACCOUNT, "welcome", sequence(
                step("hi", 0, "Hi {{ subscriber.attributes.first_name | default: 'friend' }}, order "
                        + "{{ enrollment.data.orderId }} at {{ 'now' | date: '%H:%M' }}")));
        engine.enrollments.enroll(new EnrollRequest(in("welcome", "ann"), Optional.of(ZoneId.of("Asia/Tokyo")),
                Map.of("first_name", Optional.of(new AttributeValue.Text("Ann"))),
                Origin.host(new EnrollmentData(Map.of("orderId", "A-17")))));
        engine.enrollments.enroll(in("welcome", "bob"));

        engine.runFor(Duration.ofMinutes(1));

        // The clock starts at 09:00 UTC: 18:00 in Tokyo, 09:00 for a subscriber without a zone.
        assertThat(textsIn("welcome")).containsExactlyInAnyOrder("{\"text\":\"Hi Ann, order A-17 at 18:00\"}",
                "{\"text\":\"Hi friend, order  at 09:00\"}");
    }

    @Test
    void a_render_that_fails_is_that_steps_permanent_failure_and_the_next_step_still_goes() {
        // Ann's attribute is long enough that the doubling loop passes the output limit.
        engine.catalog.define(ACCOUNT, "welcome", sequence(
                step("big", 0, "{% assign s = subscriber.attributes.blob %}{% for i in (1..12) %}"
                        + "{% assign s = s | append: s %}{% endfor %}{{ s }}"),
                step("next", 60, "still here, {{ subscriber.id }}")));
        engine.enrollments.enroll(new EnrollRequest(in("welcome", "ann"), Optional.empty(),
                Map.of("blob", Optional.of(new AttributeValue.Text("x".repeat(100)))), Origin.HOST));

        engine.runFor(Duration.ofMinutes(5));

        Enrollment done = engine.enrollments.get(in("welcome", "ann"));
        assertThat(done.history()).extracting(StepRecord::stepId, StepRecord::outcome)
                .containsExactly(tuple("big", StepOutcome.FAILED), tuple("next", StepOutcome.SENT));
        assertThat(done.history().get(0).detail()).startsWith("message template failed: ")
                .contains("filter append made");
        assertThat(textsIn("welcome")).containsExactly("{\"text\":\"still here, ann\"}");
    }

    @Test
    void an_event_triggered_enrollment_shows_the_event_and_carries_the_data_on() {
        engine.catalog.define(ACCOUNT, "offer", sequence(new SequenceRules(ReentryPolicy.NEVER, List.of(),
                        List.of(new Trigger.OnEvent(on(EventType.CLICKED, "pitch"), "interested")), false),
                step("pitch", 0, "plain"), step("later", 86400, "plain")));
        engine.catalog.define(ACCOUNT, "interested", sequence(
                step("more", 60, "You {{ event.type }} {{ event.stepId }} ({{ event.eventId }}) about "
                        + "{{ enrollment.data.product }}")));
        engine.enrollments.enroll(new EnrollRequest(in("offer", "ann"), Optional.empty(), Map.of(),
                Origin.host(new EnrollmentData(Map.of("product", "tea")))));
        engine.handleVisible();

        engine.events.record(ACCOUNT, event("ann", EventType.CLICKED).step("offer", "pitch").id("evt-1").build());
        engine.runFor(Duration.ofMinutes(5));

        assertThat(engine.enrollments.get(in("interested", "ann")).origin().event()).isPresent();
        assertThat(textsIn("interested")).containsExactly("{\"text\":\"You clicked pitch (evt-1) about tea\"}");
        assertThat(textsIn("offer")).containsExactly("{\"text\":\"plain\"}");
    }
}
