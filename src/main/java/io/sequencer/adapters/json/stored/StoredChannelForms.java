package io.sequencer.adapters.json.stored;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.domain.channel.ChannelConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stored forms of every registered channel type: a stored channel is its {@code type} and that type's fields.
 * Made once from the registered channel types and handed to the stores that keep channels.
 */
public final class StoredChannelForms {
    private final Map<String, StoredChannelForm<?>> byType = new LinkedHashMap<>();
    private final Map<Class<? extends ChannelConfig>, StoredChannelForm<?>> byConfig = new LinkedHashMap<>();

    public StoredChannelForms(List<? extends StoredChannelForm<?>> forms) {
        for (StoredChannelForm<?> form : forms) {
            if (byType.put(form.type(), form) != null || byConfig.put(form.config(), form) != null) {
                throw new IllegalArgumentException("channel type registered twice: " + form.type());
            }
        }
    }

    ObjectNode write(ChannelConfig channel) {
        ObjectNode out = Json.object();
        out.put("type", channel.type());
        formOf(channel).write(channel, out);
        return out;
    }

    ChannelConfig read(StoredNode in) {
        String type = in.text("type");
        StoredChannelForm<?> form = byType.get(type);
        if (form == null) {
            throw in.invalid("type", "is not one of " + String.join(", ", byType.keySet()) + ": " + type);
        }
        try {
            return form.read(in);
        } catch (IllegalArgumentException e) {
            throw in.unreadable(e);
        }
    }

    @SuppressWarnings("unchecked")
    private <C extends ChannelConfig> StoredChannelForm<C> formOf(C channel) {
        StoredChannelForm<?> form = byConfig.get(channel.getClass());
        if (form == null) {
            throw new IllegalStateException("no stored form registered for channel "
                    + channel.getClass().getSimpleName());
        }
        return (StoredChannelForm<C>) form;
    }
}
