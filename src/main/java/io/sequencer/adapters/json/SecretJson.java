package io.sequencer.adapters.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.domain.Invalid;
import io.sequencer.engine.secret.AccountSecrets;
import io.sequencer.engine.secret.SecretInfo;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Maps account secrets to and from the HTTP API's JSON. A request body holds a value, so no answer about it quotes
 * any part of it: not a JSON parser's message (which quotes the token it stopped at), not the value.
 */
public final class SecretJson {
    private static final Set<String> FIELDS = Set.of("value", "keepPrevious");

    private SecretJson() {}

    /** What a PUT asks for: the value, and how long the value it replaces stays in use. */
    public record Request(String value, Optional<Duration> keepPrevious) {
        @Override
        public String toString() {
            return "SecretJson.Request[value redacted, keepPrevious=" + keepPrevious + "]";
        }
    }

    public static Request parse(String body) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new Invalid("body", "is not valid JSON");
        }
        FieldReader in = new FieldReader();
        if (in.object(root, "body", true) == null) {
            in.throwIfInvalid();
        }
        // An unknown field is not named: a value pasted as a field name would come back in the answer.
        root.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name) && !in.hasErrors()) {
                in.fail("body", "may hold only the fields value and keepPrevious");
            }
        });
        JsonNode value = root.get("value");
        String text = null;
        if (value == null || value.isNull()) {
            in.fail("value", "is required: a non-empty string");
        } else if (!value.isTextual()) {
            in.fail("value", "must be a string");
        } else if (value.textValue().isBlank()) {
            in.fail("value", "is required: a non-empty string");
        } else if (value.textValue().length() > AccountSecrets.MAX_VALUE_CHARS) {
            in.fail("value", "must be at most " + AccountSecrets.MAX_VALUE_CHARS + " characters");
        } else {
            text = value.textValue();
        }
        Optional<Duration> keep = Optional.empty();
        String keepText = in.string(root, "keepPrevious", "keepPrevious", false, 64);
        if (keepText != null) {
            try {
                Duration parsed = Duration.parse(keepText);
                if (parsed.isNegative() || parsed.isZero() || parsed.compareTo(AccountSecrets.MAX_KEEP_PREVIOUS) > 0) {
                    in.fail("keepPrevious", "must be above zero and at most P30D");
                } else {
                    keep = Optional.of(parsed);
                }
            } catch (DateTimeParseException e) {
                in.fail("keepPrevious", "must be an ISO-8601 duration such as PT48H");
            }
        }
        in.throwIfInvalid();
        return new Request(text, keep);
    }

    public static ObjectNode write(String account, SecretInfo info) {
        ObjectNode out = Json.object();
        out.put("account", account);
        out.put("name", info.name());
        out.put("createdAt", info.createdAt().toString());
        out.put("updatedAt", info.updatedAt().toString());
        out.put("fingerprint", info.fingerprint());
        info.previousUntil().ifPresent(until -> out.put("previousUntil", until.toString()));
        return out;
    }

    public static ObjectNode writeList(String account, List<SecretInfo> secrets) {
        ObjectNode out = Json.object();
        out.put("account", account);
        ArrayNode items = out.putArray("secrets");
        secrets.forEach(info -> items.add(write(account, info).without("account")));
        return out;
    }
}
