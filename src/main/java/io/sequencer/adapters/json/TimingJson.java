package io.sequencer.adapters.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.domain.sequence.Delay;
import io.sequencer.domain.sequence.DelayUnit;
import io.sequencer.domain.sequence.SendWindow;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.TextStyle;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Reads and writes the timing vocabulary: delays, send windows, time zones, clock times and weekdays. */
final class TimingJson {
    private static final Pattern CLOCK = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]");
    private static final Set<String> SPAN = Set.of("amount", "unit", "from");
    private static final Set<String> AT = Set.of("at", "on", "from");
    private static final Set<String> WINDOW = Set.of("from", "to", "days");

    private TimingJson() {}

    static Delay delay(JsonNode node, String path, FieldReader in) {
        if (in.object(node, path, true) == null) {
            return null;
        }
        Delay.Anchor anchor = Delay.Anchor.PREVIOUS;
        String from = in.string(node, "from", path + ".from", false, 32);
        if (from != null) {
            Optional<Delay.Anchor> parsed = Delay.Anchor.fromWireName(from);
            if (parsed.isEmpty()) {
                in.fail(path + ".from", "must be previous or enrollment");
                return null;
            }
            anchor = parsed.get();
        }
        if (node.has("at")) {
            in.rejectUnknown(node, path, AT);
            return atLocalTime(node, path, anchor, in);
        }
        in.rejectUnknown(node, path, SPAN);
        return span(node, path, anchor, in);
    }

    private static Delay span(JsonNode node, String path, Delay.Anchor anchor, FieldReader in) {
        String unitName = in.string(node, "unit", path + ".unit", true, 32);
        Optional<DelayUnit> unit = Optional.empty();
        if (unitName != null) {
            unit = DelayUnit.fromWireName(unitName);
            if (unit.isEmpty()) {
                in.fail(path + ".unit", "must be one of " + Arrays.stream(DelayUnit.values())
                        .map(DelayUnit::wireName).collect(Collectors.joining(", ")));
            }
        }
        JsonNode amount = node.get("amount");
        if (amount == null || amount.isNull()) {
            in.fail(path + ".amount", "is required (or give \"at\": \"HH:MM\")");
            return null;
        }
        if (!amount.isIntegralNumber() || !amount.canConvertToLong()) {
            in.fail(path + ".amount", "must be a whole number");
            return null;
        }
        long value = amount.longValue();
        if (value < 0) {
            in.fail(path + ".amount", "must not be negative");
            return null;
        }
        if (unit.isEmpty()) {
            return null;
        }
        if (value > Delay.maxAmount(unit.get())) {
            in.fail(path + ".amount", "must be at most " + Delay.maxAmount(unit.get()) + " " + unit.get().wireName()
                    + " (" + Delay.MAX.toDays() + " days)");
            return null;
        }
        return new Delay.Span(value, unit.get(), anchor);
    }

    private static Delay atLocalTime(JsonNode node, String path, Delay.Anchor anchor, FieldReader in) {
        LocalTime at = clock(node, "at", path + ".at", true, in);
        Optional<DayOfWeek> on = Optional.empty();
        String day = in.string(node, "on", path + ".on", false, 3);
        if (day != null) {
            on = weekday(day);
            if (on.isEmpty()) {
                in.fail(path + ".on", "must be one of MON, TUE, WED, THU, FRI, SAT, SUN");
                return null;
            }
        }
        return at == null ? null : new Delay.AtLocalTime(at, on, anchor);
    }

    static Optional<SendWindow> window(JsonNode node, String path, FieldReader in) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (in.object(node, path, true) == null) {
            return Optional.empty();
        }
        in.rejectUnknown(node, path, WINDOW);
        LocalTime from = clock(node, "from", path + ".from", true, in);
        LocalTime to = clock(node, "to", path + ".to", true, in);
        Set<DayOfWeek> days = EnumSet.allOf(DayOfWeek.class);
        JsonNode daysNode = node.get("days");
        if (daysNode != null && !daysNode.isNull()) {
            if (!daysNode.isArray() || daysNode.isEmpty()) {
                in.fail(path + ".days", "must be a non-empty array of MON, TUE, WED, THU, FRI, SAT, SUN");
                return Optional.empty();
            }
            days = EnumSet.noneOf(DayOfWeek.class);
            for (int i = 0; i < daysNode.size(); i++) {
                Optional<DayOfWeek> day = daysNode.get(i).isTextual() ? weekday(daysNode.get(i).textValue()) : Optional.empty();
                if (day.isEmpty()) {
                    in.fail(path + ".days[" + i + "]", "must be one of MON, TUE, WED, THU, FRI, SAT, SUN");
                    return Optional.empty();
                }
                days.add(day.get());
            }
        }
        return from == null || to == null ? Optional.empty() : Optional.of(new SendWindow(from, to, days));
    }

    static Optional<ZoneId> timezone(JsonNode parent, String field, String path, FieldReader in) {
        String id = in.string(parent, field, path, false, 64);
        if (id == null) {
            return Optional.empty();
        }
        if (!ZoneId.getAvailableZoneIds().contains(id)) {
            in.fail(path, "must be an IANA time zone id such as Europe/Berlin or America/New_York");
            return Optional.empty();
        }
        return Optional.of(ZoneId.of(id));
    }

    private static LocalTime clock(JsonNode node, String field, String path, boolean required, FieldReader in) {
        String text = in.string(node, field, path, required, 5);
        if (text == null) {
            return null;
        }
        if (!CLOCK.matcher(text).matches()) {
            in.fail(path, "must be a 24-hour clock time HH:MM");
            return null;
        }
        return LocalTime.parse(text);
    }

    private static Optional<DayOfWeek> weekday(String text) {
        return Arrays.stream(DayOfWeek.values()).filter(d -> wireName(d).equals(text)).findFirst();
    }

    static String wireName(DayOfWeek day) {
        return day.getDisplayName(TextStyle.SHORT, Locale.ROOT).toUpperCase(Locale.ROOT);
    }

    static ObjectNode writeDelay(Delay delay) {
        ObjectNode out = Json.object();
        if (delay instanceof Delay.Span span) {
            out.put("amount", span.amount());
            out.put("unit", span.unit().wireName());
        } else {
            Delay.AtLocalTime at = (Delay.AtLocalTime) delay;
            out.put("at", at.at().toString());
            at.on().ifPresent(day -> out.put("on", wireName(day)));
        }
        out.put("from", delay.from().wireName());
        return out;
    }

    static ObjectNode writeWindow(SendWindow window) {
        ObjectNode out = Json.object();
        out.put("from", window.from().toString());
        out.put("to", window.to().toString());
        ArrayNode days = out.putArray("days");
        window.days().stream().sorted().forEach(d -> days.add(wireName(d)));
        return out;
    }
}
