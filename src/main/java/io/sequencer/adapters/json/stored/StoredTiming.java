package io.sequencer.adapters.json.stored;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.domain.sequence.Delay;
import io.sequencer.domain.sequence.DelayUnit;
import io.sequencer.domain.sequence.SendWindow;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.format.TextStyle;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Stored delays ({@code {"amount","unit","from"}} or {@code {"at","on","from"}}) and send windows. */
final class StoredTiming {
    private StoredTiming() {}

    static ObjectNode writeDelay(Delay delay) {
        ObjectNode out = Json.object();
        if (delay instanceof Delay.Span span) {
            out.put("amount", span.amount()).put("unit", span.unit().wireName());
        } else {
            Delay.AtLocalTime at = (Delay.AtLocalTime) delay;
            out.put("at", at.at().toString());
            at.on().ifPresent(day -> out.put("on", weekday(day)));
        }
        return out.put("from", delay.from().wireName());
    }

    /** A delay; one without {@code from} counts from the previous step, as requests default it. */
    static Delay readDelay(StoredNode in) {
        Delay.Anchor from = in.optionalParsed("from", name -> Delay.Anchor.fromWireName(name).orElseThrow(
                () -> new IllegalArgumentException("unknown anchor " + name))).orElse(Delay.Anchor.PREVIOUS);
        try {
            if (in.has("at")) {
                return new Delay.AtLocalTime(in.parsed("at", LocalTime::parse),
                        in.optionalParsed("on", StoredTiming::weekday), from);
            }
            return new Delay.Span(in.whole("amount"), in.parsed("unit", name -> DelayUnit.fromWireName(name)
                    .orElseThrow(() -> new IllegalArgumentException("unknown unit " + name))), from);
        } catch (IllegalArgumentException e) {
            throw in.unreadable(e);
        }
    }

    static ObjectNode writeWindow(SendWindow window) {
        ObjectNode out = Json.object().put("from", window.from().toString()).put("to", window.to().toString());
        ArrayNode days = out.putArray("days");
        window.days().stream().sorted().forEach(d -> days.add(weekday(d)));
        return out;
    }

    /** A window; one without {@code days} is open every day, as requests default it. */
    static SendWindow readWindow(StoredNode in) {
        Set<DayOfWeek> days = EnumSet.allOf(DayOfWeek.class);
        if (in.has("days")) {
            days = EnumSet.noneOf(DayOfWeek.class);
            for (StoredNode day : in.elements("days")) {
                days.add(weekday(day.text()));
            }
        }
        try {
            return new SendWindow(in.parsed("from", LocalTime::parse), in.parsed("to", LocalTime::parse), days);
        } catch (IllegalArgumentException e) {
            throw in.unreadable(e);
        }
    }

    private static String weekday(DayOfWeek day) {
        return day.getDisplayName(TextStyle.SHORT, Locale.ROOT).toUpperCase(Locale.ROOT);
    }

    private static DayOfWeek weekday(String text) {
        return Arrays.stream(DayOfWeek.values()).filter(d -> weekday(d).equals(text)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown weekday " + text));
    }

    static Optional<SendWindow> optionalWindow(StoredNode in, String field) {
        return in.optionalChild(field).map(StoredTiming::readWindow);
    }
}
