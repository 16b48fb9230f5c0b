package io.sequencer.domain.subscriber;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * How an attribute test compares a subscriber's attribute with its operand. Text compares case-insensitively;
 * a list of strings passes when one of its elements does; a missing attribute fails every test but
 * {@code is_not} and {@code exists false}.
 */
public enum AttributeOperator {
    IS,
    IS_NOT,
    CONTAINS,
    BEGINS_WITH,
    BEFORE,
    AFTER,
    ON,
    EXISTS;

    private static final String MOMENT = "must be a date such as 2026-03-01 or an instant such as 2026-03-01T10:00:00Z";

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<AttributeOperator> fromWireName(String name) {
        for (AttributeOperator operator : values()) {
            if (operator.wireName().equals(name)) {
                return Optional.of(operator);
            }
        }
        return Optional.empty();
    }

    /** Why {@code operand} cannot follow this operator, or empty when it can; phrased as a reason for the operand. */
    public Optional<String> problemWith(AttributeValue operand) {
        return switch (this) {
            case IS, IS_NOT -> operand instanceof AttributeValue.TextList
                    ? Optional.of("must be a string, number or boolean") : Optional.empty();
            case CONTAINS, BEGINS_WITH -> operand instanceof AttributeValue.Text
                    ? Optional.empty() : Optional.of("must be a string");
            case BEFORE, AFTER, ON -> moment(operand).isPresent() ? Optional.empty() : Optional.of(MOMENT);
            case EXISTS -> operand instanceof AttributeValue.Flag ? Optional.empty() : Optional.of("must be true or false");
        };
    }

    /** Whether {@code attribute} (empty when the subscriber has none) passes; {@code operand} fits this operator. */
    public boolean test(Optional<AttributeValue> attribute, AttributeValue operand) {
        if (this == EXISTS) {
            return attribute.isPresent() == ((AttributeValue.Flag) operand).value();
        }
        if (this == IS_NOT) {
            return !IS.test(attribute, operand);
        }
        if (attribute.isEmpty()) {
            return false;
        }
        AttributeValue value = attribute.get();
        return switch (this) {
            case IS -> equal(value, operand);
            case CONTAINS -> textMatches(value, operand, String::contains, String::equals);
            case BEGINS_WITH -> textMatches(value, operand, String::startsWith, String::startsWith);
            case BEFORE -> momentsMatch(value, operand, Instant::isBefore);
            case AFTER -> momentsMatch(value, operand, Instant::isAfter);
            case ON -> momentsMatch(value, operand, (a, b) -> utcDate(a).equals(utcDate(b)));
            case IS_NOT, EXISTS -> throw new IllegalStateException("handled above");
        };
    }

    private static boolean equal(AttributeValue value, AttributeValue operand) {
        if (value instanceof AttributeValue.TextList list) {
            return list.values().stream().anyMatch(element -> equal(new AttributeValue.Text(element), operand));
        }
        if (value instanceof AttributeValue.Text a && operand instanceof AttributeValue.Text b) {
            return fold(a.value()).equals(fold(b.value()));
        }
        if (value instanceof AttributeValue.Flag a && operand instanceof AttributeValue.Flag b) {
            return a.value() == b.value();
        }
        // Profiles often hold numbers as text ("42"); compare those with numeric operands by value.
        Optional<BigDecimal> a = number(value);
        Optional<BigDecimal> b = number(operand);
        return a.isPresent() && b.isPresent() && a.get().compareTo(b.get()) == 0;
    }

    private static Optional<BigDecimal> number(AttributeValue value) {
        if (value instanceof AttributeValue.Number n) {
            return Optional.of(n.value());
        }
        if (value instanceof AttributeValue.Text t) {
            try {
                return Optional.of(new BigDecimal(t.value()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Text against text with {@code onText}; a list passes when {@code onElement} holds for one element. */
    private static boolean textMatches(AttributeValue value, AttributeValue operand, BiPredicate<String, String> onText,
                                       BiPredicate<String, String> onElement) {
        String wanted = fold(((AttributeValue.Text) operand).value());
        if (value instanceof AttributeValue.Text text) {
            return onText.test(fold(text.value()), wanted);
        }
        return value instanceof AttributeValue.TextList list
                && list.values().stream().anyMatch(element -> onElement.test(fold(element), wanted));
    }

    /** False when the attribute is not a date or instant; the operand always is (see {@link #problemWith}). */
    private static boolean momentsMatch(AttributeValue value, AttributeValue operand, BiPredicate<Instant, Instant> test) {
        return moment(value).map(at -> test.test(at, moment(operand).orElseThrow())).orElse(false);
    }

    /**
     * The one reading of dates in attributes: {@code YYYY-MM-DD} (taken as its start of day in UTC) or an ISO-8601
     * instant. Comparing two plain dates through their UTC start of day orders them as the dates themselves.
     */
    private static Optional<Instant> moment(AttributeValue value) {
        if (!(value instanceof AttributeValue.Text text)) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(text.value()).atStartOfDay(ZoneOffset.UTC).toInstant());
        } catch (DateTimeParseException notADate) {
            try {
                return Optional.of(Instant.parse(text.value()));
            } catch (DateTimeParseException notAnInstant) {
                return Optional.empty();
            }
        }
    }

    private static LocalDate utcDate(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }

    private static String fold(String text) {
        return text.toLowerCase(Locale.ROOT);
    }
}
