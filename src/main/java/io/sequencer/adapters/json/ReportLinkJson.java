package io.sequencer.adapters.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.domain.report.ReportLinkTokens;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;

/** The HTTP API's JSON for report links: what a request may ask ({@code expiresIn}) and the link it gets back. */
public final class ReportLinkJson {
    private static final Duration MIN_LIFETIME = Duration.ofMinutes(1);

    private ReportLinkJson() {}

    /** How long the link should work: {@code expiresIn} as an ISO-8601 duration, or the default without a body. */
    public static Duration lifetime(Optional<String> body) {
        if (body.isEmpty()) {
            return ReportLinkTokens.DEFAULT_LIFETIME;
        }
        JsonNode root = Json.parseBody(body.get());
        FieldReader in = new FieldReader();
        if (in.object(root, "body", true) == null) {
            in.throwIfInvalid();
        }
        in.rejectUnknown(root, "", Set.of("expiresIn"));
        String text = in.string(root, "expiresIn", "expiresIn", false, 32);
        Duration lifetime = ReportLinkTokens.DEFAULT_LIFETIME;
        if (text != null) {
            try {
                lifetime = Duration.parse(text);
                if (lifetime.compareTo(MIN_LIFETIME) < 0 || lifetime.compareTo(ReportLinkTokens.MAX_LIFETIME) > 0) {
                    in.fail("expiresIn", "must be from PT1M to P" + ReportLinkTokens.MAX_LIFETIME.toDays() + "D");
                }
            } catch (DateTimeParseException e) {
                in.fail("expiresIn", "must be an ISO-8601 duration such as P7D or PT12H");
            }
        }
        in.throwIfInvalid();
        return lifetime;
    }

    public static ObjectNode write(String url, Instant expiresAt) {
        ObjectNode link = Json.object();
        link.put("url", url);
        link.put("expiresAt", expiresAt.toString());
        return link;
    }
}
