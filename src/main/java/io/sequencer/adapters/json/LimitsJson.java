package io.sequencer.adapters.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.domain.limit.FrequencyCap;
import io.sequencer.domain.limit.FrequencyLimits;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Maps an account's frequency caps to and from the HTTP API's JSON. */
public final class LimitsJson {
    private static final Set<String> FIELDS = Set.of("perSubscriber", "over");
    private static final Set<String> READ_ONLY = Set.of("account", "updatedAt");
    private static final Set<String> RULE = Set.of("max", "per", "channel");

    private LimitsJson() {}

    /** The caps a PUT asks for; {@code channelTypes} are the channel type names a cap may name. */
    public static FrequencyLimits parse(String account, String body, Set<String> channelTypes, Instant now) {
        JsonNode root = Json.parseBody(body);
        FieldReader in = new FieldReader();
        if (in.object(root, "body", true) == null) {
            in.throwIfInvalid();
        }
        Set<String> known = new HashSet<>(FIELDS);
        known.addAll(READ_ONLY);
        in.rejectUnknown(root, "", known);
        String overText = in.string(root, "over", "over", false, 8);
        FrequencyLimits.Over over = FrequencyLimits.Over.HOLD;
        if (overText != null) {
            Optional<FrequencyLimits.Over> named = FrequencyLimits.Over.fromWireName(overText);
            if (named.isPresent()) {
                over = named.get();
            } else {
                in.fail("over", "must be hold or skip");
            }
        }
        List<FrequencyCap> caps = new ArrayList<>();
        JsonNode list = root.get("perSubscriber");
        if (list == null || list.isNull()) {
            in.fail("perSubscriber", "is required");
        } else if (!list.isArray() || list.isEmpty() || list.size() > FrequencyLimits.MAX_RULES) {
            in.fail("perSubscriber", "must be an array of 1 to " + FrequencyLimits.MAX_RULES + " caps");
        } else {
            for (int i = 0; i < list.size(); i++) {
                rule(list.get(i), "perSubscriber[" + i + "]", channelTypes, in).ifPresent(caps::add);
            }
        }
        in.throwIfInvalid();
        return new FrequencyLimits(account, caps, over, now);
    }

    private static Optional<FrequencyCap> rule(JsonNode node, String path, Set<String> channelTypes, FieldReader in) {
        if (in.object(node, path, true) == null) {
            return Optional.empty();
        }
        in.rejectUnknown(node, path, RULE);
        JsonNode maxNode = node.get("max");
        Integer max = null;
        if (maxNode == null || maxNode.isNull()) {
            in.fail(path + ".max", "is required");
        } else if (!maxNode.isIntegralNumber() || maxNode.asLong() < 1 || maxNode.asLong() > FrequencyCap.MAX_MAX) {
            in.fail(path + ".max", "must be a whole number from 1 to " + FrequencyCap.MAX_MAX);
        } else {
            max = maxNode.intValue();
        }
        Duration per = period(node, path + ".per", in);
        String channel = in.string(node, "channel", path + ".channel", false, 32);
        if (channel != null && !channelTypes.contains(channel)) {
            in.fail(path + ".channel", "must be one of " + String.join(", ", new TreeSet<>(channelTypes)));
            channel = null;
        }
        return max == null || per == null || in.hasErrors() ? Optional.empty()
                : Optional.of(new FrequencyCap(max, per, Optional.ofNullable(channel)));
    }

    private static Duration period(JsonNode node, String path, FieldReader in) {
        String text = in.string(node, "per", path, true, 32);
        if (text == null) {
            return null;
        }
        Duration per;
        try {
            per = Duration.parse(text);
        } catch (DateTimeParseException e) {
            in.fail(path, "must be an ISO-8601 duration such as P1D, P7D or PT12H");
            return null;
        }
        if (per.compareTo(FrequencyCap.SHORTEST) < 0 || per.compareTo(FrequencyCap.LONGEST) > 0) {
            in.fail(path, "must be from PT1M to P31D");
            return null;
        }
        return per;
    }

    /** {@code P7D} for whole days, as people write them ({@link Duration#toString} would say {@code PT168H}). */
    static String period(Duration per) {
        return per.toSeconds() % 86_400 == 0 ? "P" + per.toDays() + "D" : per.toString();
    }

    public static ObjectNode write(FrequencyLimits limits) {
        ObjectNode out = Json.object();
        out.put("account", limits.account());
        ArrayNode rules = out.putArray("perSubscriber");
        for (FrequencyCap cap : limits.perSubscriber()) {
            ObjectNode rule = rules.addObject().put("max", cap.max()).put("per", period(cap.per()));
            cap.channel().ifPresent(c -> rule.put("channel", c));
        }
        out.put("over", limits.over().wireName());
        out.put("updatedAt", limits.updatedAt().toString());
        return out;
    }
}
