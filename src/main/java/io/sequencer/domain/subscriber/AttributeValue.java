package io.sequencer.domain.subscriber;

import java.math.BigDecimal;
import java.util.List;

/**
 * One profile attribute of a subscriber. Dates travel as ISO text ({@code 2026-03-01} or an instant) and are
 * read as dates by the date operators of {@link Condition}.
 */
public sealed interface AttributeValue {
    int MAX_TEXT = 1_000;
    int MAX_ITEMS = 100;

    record Text(String value) implements AttributeValue {
        public Text {
            if (value == null || value.length() > MAX_TEXT) {
                throw new IllegalArgumentException("text attributes are 0 to " + MAX_TEXT + " characters");
            }
        }
    }

    record Number(BigDecimal value) implements AttributeValue {
        public Number {
            if (value == null) {
                throw new IllegalArgumentException("a number is required");
            }
        }
    }

    record Flag(boolean value) implements AttributeValue {}

    /** A list of strings, such as tags. */
    record TextList(List<String> values) implements AttributeValue {
        public TextList {
            values = List.copyOf(values);
            if (values.size() > MAX_ITEMS || values.stream().anyMatch(v -> v.length() > MAX_TEXT)) {
                throw new IllegalArgumentException("lists hold up to " + MAX_ITEMS + " strings of up to " + MAX_TEXT
                        + " characters");
            }
        }
    }
}
