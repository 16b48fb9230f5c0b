package io.sequencer.adapters.azure;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Table storage continuation as the client gives it: the service's NextPartitionKey and NextRowKey joined by
 * {@code ';'}, each the key in base64 (Azurite), or behind a {@code 1!<length>!} prefix (the service's own form).
 * Read to see which row a listing resumes at; written back in the same form, naming another row.
 */
record TableContinuation(String partitionKey, String rowKey, String prefix) {
    private static final Pattern PREFIXED = Pattern.compile("(\\d+)!\\d+!(.+)");

    /** The keys {@code token} names; empty when it is not in a form this store reads. */
    static Optional<TableContinuation> parse(String token) {
        String[] parts = token.split(";", -1);
        if (parts.length != 2) {
            return Optional.empty();
        }
        Matcher prefixed = PREFIXED.matcher(parts[1]);
        String prefix = prefixed.matches() ? prefixed.group(1) : "";
        Optional<String> partition = decode(parts[0]);
        Optional<String> row = decode(parts[1]);
        return partition.isPresent() && row.isPresent()
                ? Optional.of(new TableContinuation(partition.get(), row.get(), prefix)) : Optional.empty();
    }

    /** A continuation of the same form that resumes at {@code row} of {@code partition}. */
    String at(String partition, String row) {
        return encode(partition) + ";" + encode(row);
    }

    private String encode(String key) {
        String base64 = Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8));
        return prefix.isEmpty() ? base64 : prefix + "!" + base64.length() + "!" + base64;
    }

    private static Optional<String> decode(String part) {
        Matcher prefixed = PREFIXED.matcher(part);
        String base64 = prefixed.matches() ? prefixed.group(2) : part;
        try {
            return Optional.of(new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
    }
}
