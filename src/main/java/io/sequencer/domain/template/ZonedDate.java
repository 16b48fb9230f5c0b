package io.sequencer.domain.template;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;
import java.util.Optional;
import liqp.LValue;
import liqp.TemplateContext;
import liqp.filters.Filter;
import ua.co.k.strftime.StrftimeFormatter;

/**
 * Liquid's {@code date} filter in the subscriber's zone: {@code "now"} and {@code "today"} are the render's own
 * instant (not the machine's clock), an instant or a time with an offset is shown at the same moment in that zone,
 * a local date or time is taken as being in it, and a number is seconds since the epoch. The format is strftime's
 * ({@code %Y-%m-%d %H:%M}); what cannot be read as a date is left as it was, as Liquid does.
 */
final class ZonedDate extends Filter {
    ZonedDate() {
        super("date");
    }

    @Override
    public Object apply(Object value, TemplateContext context, Object... params) {
        ZoneId zone = (ZoneId) context.getEnvironmentMap().getOrDefault(MessageTemplate.ZONE, ZoneId.of("UTC"));
        Instant now = (Instant) context.getEnvironmentMap().getOrDefault(MessageTemplate.NOW, Instant.EPOCH);
        String format = params.length == 0 || params[0] == null ? "" : asString(params[0], context);
        if (format.isBlank()) {
            return value;
        }
        Optional<ZonedDateTime> date = read(value, context, zone, now);
        if (date.isEmpty()) {
            return value;
        }
        try {
            return StrftimeFormatter.ofSafePattern(format, Locale.ENGLISH).format(date.get());
        } catch (RuntimeException unformattable) {
            return value;
        }
    }

    private Optional<ZonedDateTime> read(Object value, TemplateContext context, ZoneId zone, Instant now) {
        if (value == null) {
            return Optional.empty();
        }
        if (LValue.isTemporal(value)) {
            TemporalAccessor temporal = LValue.asTemporal(value, context);
            return Optional.of(ZonedDateTime.from(temporal).withZoneSameInstant(zone));
        }
        if (value instanceof Number number) {
            return Optional.of(Instant.ofEpochSecond(number.longValue()).atZone(zone));
        }
        String text = asString(value, context).trim();
        if (text.equals("now") || text.equals("today")) {
            return Optional.of(now.atZone(zone));
        }
        try {
            return Optional.of(OffsetDateTime.parse(text).atZoneSameInstant(zone));
        } catch (DateTimeParseException notWithOffset) {
            // try the next form
        }
        try {
            return Optional.of(ZonedDateTime.parse(text).withZoneSameInstant(zone));
        } catch (DateTimeParseException notZoned) {
            // try the next form
        }
        try {
            return Optional.of(LocalDateTime.parse(text).atZone(zone));
        } catch (DateTimeParseException notLocalTime) {
            // try the next form
        }
        try {
            return Optional.of(LocalDate.parse(text).atStartOfDay(zone));
        } catch (DateTimeParseException notLocalDate) {
            // try the next form
        }
        if (text.matches("-?\\d{1,12}")) {
            return Optional.of(Instant.ofEpochSecond(Long.parseLong(text)).atZone(zone));
        }
        return Optional.empty();
    }
}
