package io.sequencer.domain.enrollment;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the host gave with an enroll ({@code "data": {...}}), kept with the enrollment for its messages: a JSON
 * object as plain values (maps with text keys, lists, text, numbers as {@link BigDecimal}, booleans and nulls),
 * copied so that it cannot change.
 */
public record EnrollmentData(Map<String, Object> values) {
    /** At most this many bytes as compact JSON, checked where the request is read. */
    public static final int MAX_BYTES = 8 * 1024;
    public static final EnrollmentData NONE = new EnrollmentData(Map.of());

    public EnrollmentData {
        if (values == null) {
            throw new IllegalArgumentException("values may be empty, not null");
        }
        values = copyMap(values);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    private static Map<String, Object> copyMap(Map<?, ?> in) {
        Map<String, Object> out = new LinkedHashMap<>();
        in.forEach((key, value) -> {
            if (!(key instanceof String name)) {
                throw new IllegalArgumentException("data keys are text, not " + key);
            }
            out.put(name, copy(value));
        });
        return Collections.unmodifiableMap(out);
    }

    private static Object copy(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof BigDecimal) {
            return value;
        }
        if (value instanceof Map<?, ?> map) {
            return copyMap(map);
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(element -> out.add(copy(element)));
            return Collections.unmodifiableList(out);
        }
        throw new IllegalArgumentException("data holds maps, lists, text, numbers (BigDecimal), booleans and nulls, not "
                + value.getClass().getSimpleName());
    }
}
