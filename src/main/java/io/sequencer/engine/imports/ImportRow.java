package io.sequencer.engine.imports;

import io.sequencer.domain.subscriber.AttributeValue;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One row of an import, read and checked: a profile to store and the sequences to enroll the subscriber in. */
public record ImportRow(long line, String subscriberId, Optional<ZoneId> timezone,
                        Map<String, Optional<AttributeValue>> attributes, List<String> sequences) implements ImportLine {
    /** Sequences one row may enroll its subscriber in. */
    public static final int MAX_SEQUENCES = 20;

    public ImportRow {
        if (subscriberId == null || timezone == null || attributes == null || sequences == null) {
            throw new IllegalArgumentException("subscriberId, timezone, attributes and sequences are required");
        }
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        sequences = List.copyOf(sequences);
    }

    /** About how many characters the row takes stored: pages are bounded by it as well as by their row count. */
    public int size() {
        int size = 64 + subscriberId.length();
        for (String sequence : sequences) {
            size += sequence.length() + 4;
        }
        for (Map.Entry<String, Optional<AttributeValue>> attribute : attributes.entrySet()) {
            size += attribute.getKey().length() + 8 + attribute.getValue().map(v -> v.toString().length()).orElse(0);
        }
        return size;
    }
}
