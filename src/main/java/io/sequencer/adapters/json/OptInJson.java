package io.sequencer.adapters.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.domain.subscriber.MarketingOptIn;
import io.sequencer.domain.subscriber.MarketingOptIn.Frequency;
import io.sequencer.domain.subscriber.MarketingOptIn.Status;
import io.sequencer.domain.subscriber.OptInReport;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an {@code optin} event's {@code optin} object: the {@code optin} object of Meta's {@code messaging_optins}
 * webhook event, passed on as the page received it. Fields Sequencer does not use ({@code type}, {@code payload},
 * {@code title}, {@code notification_messages_timezone}, {@code user_token_status}) are accepted and ignored.
 */
final class OptInJson {
    static final String TOKEN = "notification_messages_token";
    static final String EXPIRY = "token_expiry_timestamp";
    static final String FREQUENCY = "notification_messages_frequency";
    static final String STATUS = "notification_messages_status";
    private static final Set<String> FIELDS = Set.of(TOKEN, EXPIRY, FREQUENCY, STATUS, "user_token_status", "type",
            "payload", "title", "notification_messages_timezone");
    /** Earliest expiry taken as milliseconds (1973): a smaller number is most likely seconds, which Meta never sends. */
    private static final long MIN_MILLIS = 100_000_000_000L;

    private OptInJson() {}

    /** The report, or empty with the problems added to {@code in}; {@code path} is the object's field path. */
    static Optional<OptInReport> read(JsonNode node, String path, FieldReader in) {
        if (in.object(node, path, true) == null) {
            return Optional.empty();
        }
        in.rejectUnknown(node, path, FIELDS);
        int before = errors(in);
        Optional<String> token = Optional.ofNullable(in.string(node, TOKEN, path + "." + TOKEN, false,
                MarketingOptIn.MAX_TOKEN));
        if (token.filter(String::isBlank).isPresent()) {
            in.fail(path + "." + TOKEN, "must not be blank");
        }
        Status status = Status.OPTED_IN;
        String statusName = in.string(node, STATUS, path + "." + STATUS, false, 32);
        if (statusName != null) {
            Optional<Status> known = Status.fromWireName(statusName);
            if (known.isEmpty()) {
                in.fail(path + "." + STATUS, "must be STOP_NOTIFICATIONS or RESUME_NOTIFICATIONS");
            }
            status = known.orElse(Status.OPTED_IN);
        }
        if (!node.hasNonNull(TOKEN) && status != Status.STOP_NOTIFICATIONS) {
            in.fail(path + "." + TOKEN, "is required unless the subscriber stopped the messages");
        }
        Optional<Frequency> frequency = Optional.empty();
        String frequencyName = in.string(node, FREQUENCY, path + "." + FREQUENCY, false, 16);
        if (frequencyName != null) {
            frequency = Frequency.fromWireName(frequencyName);
            if (frequency.isEmpty()) {
                in.fail(path + "." + FREQUENCY, "must be DAILY, WEEKLY or MONTHLY");
            }
        }
        Optional<Instant> expiry = expiry(node.get(EXPIRY), path + "." + EXPIRY, in);
        return errors(in) > before ? Optional.empty() : Optional.of(new OptInReport(token, expiry, frequency, status));
    }

    /** Meta's {@code token_expiry_timestamp}: milliseconds since the epoch, as a number or a string of digits. */
    private static Optional<Instant> expiry(JsonNode value, String path, FieldReader in) {
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        long millis;
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            millis = value.longValue();
        } else if (value.isTextual() && value.textValue().matches("[0-9]{1,18}")) {
            millis = Long.parseLong(value.textValue());
        } else {
            in.fail(path, "must be the expiry in milliseconds since the epoch, as the webhook reports it");
            return Optional.empty();
        }
        if (millis < MIN_MILLIS) {
            in.fail(path, "must be milliseconds since the epoch (this looks like seconds)");
            return Optional.empty();
        }
        return Optional.of(Instant.ofEpochMilli(millis));
    }

    private static int errors(FieldReader in) {
        return in.errorCount();
    }
}
