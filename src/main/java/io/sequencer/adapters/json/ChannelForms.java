package io.sequencer.adapters.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.domain.template.MessageTemplate;
import io.sequencer.domain.template.TemplateFailure;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The API forms of every registered channel type: reads a request's channel object by its {@code type}, writes a
 * channel back, and checks a message against its channel. Made once from the registered channel types.
 */
public final class ChannelForms {
    private final Map<String, ChannelForm<?>> byType = new LinkedHashMap<>();
    private final Map<Class<? extends ChannelConfig>, ChannelForm<?>> byConfig = new LinkedHashMap<>();

    public ChannelForms(List<? extends ChannelForm<?>> forms) {
        for (ChannelForm<?> form : forms) {
            if (byType.put(form.type(), form) != null || byConfig.put(form.config(), form) != null) {
                throw new IllegalArgumentException("channel type registered twice: " + form.type());
            }
        }
    }

    /** The channel object at {@code channel}, or null after recording its problems. */
    ChannelConfig read(JsonNode node, FieldReader in) {
        if (in.object(node, "channel", true) == null) {
            return null;
        }
        String type = in.string(node, "type", "channel.type", true, 32);
        if (type == null) {
            return null;
        }
        ChannelForm<?> form = byType.get(type);
        if (form == null) {
            in.fail("channel.type", "must be one of " + String.join(", ", byType.keySet()));
            return null;
        }
        return form.read(node, in);
    }

    ObjectNode write(ChannelConfig channel) {
        ObjectNode out = Json.object();
        out.put("type", channel.type());
        formOf(channel).write(channel, out);
        return out;
    }

    /** Checks that {@code message} (a JSON object) is what {@code channel} can send. */
    void checkMessageFits(JsonNode message, ChannelConfig channel, String path, FieldReader in) {
        formOf(channel).checkMessage(message, path, in);
        checkTemplates(message, path, in);
    }

    /** Every string of a message is a Liquid template: each must parse; a failure names its field and position. */
    private static void checkTemplates(JsonNode node, String path, FieldReader in) {
        if (node.isTextual()) {
            try {
                MessageTemplate.check(node.textValue());
            } catch (TemplateFailure failure) {
                in.fail(path, "is not a valid template: " + failure.described());
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkTemplates(node.get(i), path + "[" + i + "]", in);
            }
        } else if (node.isObject()) {
            node.fields().forEachRemaining(field -> checkTemplates(field.getValue(), path + "." + field.getKey(), in));
        }
    }

    /** See {@link ChannelForm#hasMessagingWindow()}. */
    boolean hasMessagingWindow(ChannelConfig channel) {
        return formOf(channel).hasMessagingWindow();
    }

    @SuppressWarnings("unchecked")
    private <C extends ChannelConfig> ChannelForm<C> formOf(C channel) {
        ChannelForm<?> form = byConfig.get(channel.getClass());
        if (form == null) {
            throw new IllegalStateException("no API form registered for channel " + channel.getClass().getSimpleName());
        }
        return (ChannelForm<C>) form;
    }
}
