package io.sequencer.adapters.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.domain.account.AccountApiKey;
import io.sequencer.domain.account.AccountKey;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The HTTP API's JSON for account API keys: the new key (shown once) and lists by prefix, never a hash. */
public final class AccountKeyJson {
    private AccountKeyJson() {}

    /** A create request takes no fields yet; an empty object or no body is fine, anything else is named. */
    public static void parseCreate(Optional<String> body) {
        if (body.isEmpty()) {
            return;
        }
        JsonNode root = Json.parseBody(body.get());
        FieldReader in = new FieldReader();
        if (in.object(root, "body", true) != null) {
            in.rejectUnknown(root, "", Set.of());
        }
        in.throwIfInvalid();
    }

    public static ObjectNode writeIssued(AccountApiKey key, AccountKey stored) {
        ObjectNode out = write(stored);
        out.put("key", key.text());
        return out;
    }

    public static ObjectNode writeList(String account, List<AccountKey> keys) {
        ObjectNode out = Json.object();
        out.put("account", account);
        ArrayNode list = out.putArray("keys");
        keys.forEach(key -> list.add(write(key)));
        return out;
    }

    private static ObjectNode write(AccountKey key) {
        ObjectNode out = Json.object();
        out.put("account", key.account());
        out.put("prefix", key.prefix());
        out.put("createdAt", key.createdAt().toString());
        key.lastUsedAt().ifPresent(at -> out.put("lastUsedAt", at.toString()));
        return out;
    }
}
