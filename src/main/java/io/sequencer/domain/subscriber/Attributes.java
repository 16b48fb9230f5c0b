package io.sequencer.domain.subscriber;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** A subscriber's profile: named attribute values such as {@code first_name}, {@code locale} or {@code tags}. */
public record Attributes(Map<String, AttributeValue> values) {
    public static final int MAX_ATTRIBUTES = 100;
    public static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
    public static final Attributes NONE = new Attributes(Map.of());

    public Attributes {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        if (values.size() > MAX_ATTRIBUTES) {
            throw new IllegalArgumentException("a profile holds at most " + MAX_ATTRIBUTES + " attributes");
        }
        for (String name : values.keySet()) {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("attribute name " + name + " is not a valid name");
            }
        }
    }

    public Optional<AttributeValue> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /**
     * These attributes updated by {@code changes}: a present value replaces, an empty one removes.
     * @throws IllegalArgumentException when the result would hold too many attributes
     */
    public Attributes updatedBy(Map<String, Optional<AttributeValue>> changes) {
        Map<String, AttributeValue> merged = new LinkedHashMap<>(values);
        changes.forEach((name, value) -> {
            if (value.isPresent()) {
                merged.put(name, value.get());
            } else {
                merged.remove(name);
            }
        });
        return new Attributes(merged);
    }
}
