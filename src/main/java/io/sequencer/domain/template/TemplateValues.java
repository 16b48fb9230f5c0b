package io.sequencer.domain.template;

import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.StartEvent;
import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.domain.subscriber.Attributes;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a message's templates may read, named as the API's JSON names them: {@code subscriber} ({@code id},
 * {@code timezone}, {@code attributes}), {@code enrollment} ({@code sequenceId}, {@code stepId}, {@code epoch},
 * {@code enrolledAt}, {@code stepsSent}, {@code data}), {@code event} (the event that started the enrollment, for
 * one an event trigger started), {@code account} ({@code id}) and {@code now}, all times in {@code zone}, the
 * subscriber's. A broadcast's message has no {@code enrollment} or {@code event}.
 */
public record TemplateValues(Map<String, Object> variables, ZoneId zone, Instant now) {
    private static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    public TemplateValues {
        if (variables == null || zone == null || now == null) {
            throw new IllegalArgumentException("variables, zone and now are required");
        }
        variables = Collections.unmodifiableMap(new LinkedHashMap<>(variables));
    }

    /** For step {@code stepId} of {@code enrollment}, sent to a subscriber with {@code attributes} in {@code zone}. */
    public static TemplateValues forStep(Enrollment enrollment, String stepId, Attributes attributes, ZoneId zone,
                                         Instant now) {
        Map<String, Object> variables = common(enrollment.key().account(), enrollment.key().subscriberId(), attributes,
                zone, now);
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("sequenceId", enrollment.key().sequenceId());
        facts.put("stepId", stepId);
        facts.put("epoch", enrollment.lifeEpoch());
        facts.put("enrolledAt", local(enrollment.enrolledAt(), zone));
        facts.put("stepsSent", enrollment.stepsSent());
        facts.put("data", enrollment.origin().data().values());
        variables.put("enrollment", facts);
        enrollment.origin().event().ifPresent(event -> variables.put("event", event(event, zone)));
        return new TemplateValues(variables, zone, now);
    }

    /** For a broadcast's message to {@code subscriberId} of {@code account}. */
    public static TemplateValues forBroadcast(String account, String subscriberId, Attributes attributes, ZoneId zone,
                                              Instant now) {
        return new TemplateValues(common(account, subscriberId, attributes, zone, now), zone, now);
    }

    private static Map<String, Object> common(String account, String subscriberId, Attributes attributes, ZoneId zone,
                                              Instant now) {
        Map<String, Object> subscriber = new LinkedHashMap<>();
        subscriber.put("id", subscriberId);
        subscriber.put("timezone", zone.getId());
        subscriber.put("attributes", plain(attributes));
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("subscriber", subscriber);
        variables.put("account", Map.of("id", account));
        variables.put("now", local(now, zone));
        return variables;
    }

    private static Map<String, Object> event(StartEvent event, ZoneId zone) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", event.type());
        event.name().ifPresent(n -> out.put("name", n));
        event.at().ifPresent(at -> out.put("at", local(at, zone)));
        event.eventId().ifPresent(id -> out.put("eventId", id));
        event.sequenceId().ifPresent(id -> out.put("sequenceId", id));
        event.stepId().ifPresent(id -> out.put("stepId", id));
        return out;
    }

    private static Map<String, Object> plain(Attributes attributes) {
        Map<String, Object> out = new LinkedHashMap<>();
        attributes.values().forEach((name, value) -> out.put(name, plain(value)));
        return out;
    }

    private static Object plain(AttributeValue value) {
        if (value instanceof AttributeValue.Text text) {
            return text.value();
        }
        if (value instanceof AttributeValue.Number number) {
            return number.value();
        }
        if (value instanceof AttributeValue.Flag flag) {
            return flag.value();
        }
        return ((AttributeValue.TextList) value).values();
    }

    /** An instant as the subscriber's local time with its offset: {@code 2026-03-01T11:00:00+01:00}. */
    private static String local(Instant at, ZoneId zone) {
        return LOCAL_TIME.format(at.atZone(zone));
    }
}
