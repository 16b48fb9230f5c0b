package io.sequencer.channel;

import io.sequencer.adapters.channel.ChannelRouter;
import io.sequencer.adapters.channel.ChannelSender;
import io.sequencer.adapters.json.ChannelForm;
import io.sequencer.adapters.json.ChannelForms;
import io.sequencer.adapters.json.stored.StoredChannelForm;
import io.sequencer.adapters.json.stored.StoredChannelForms;
import io.sequencer.channel.messenger.MessengerType;
import io.sequencer.channel.sendgrid.SendGridType;
import io.sequencer.channel.webhook.WebhookType;
import io.sequencer.engine.channel.ChannelRules;
import io.sequencer.engine.channel.Channels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The channel types the app sends through, registered here and nowhere else: adding a channel type is its package
 * and one line in {@link #ALL}. Each part of the app gets the view of them it needs (the engine the rules, the JSON
 * codecs the forms, the router the senders) from here, when the app is assembled.
 */
public final class ChannelTypes {
    /** Every channel type this app sends through. */
    public static final ChannelTypes ALL = new ChannelTypes(List.of(
            new WebhookType(),
            new MessengerType(),
            new SendGridType()));

    private final List<ChannelType<?>> types;

    private ChannelTypes(List<ChannelType<?>> types) {
        Map<String, ChannelType<?>> byName = new LinkedHashMap<>();
        for (ChannelType<?> type : types) {
            if (byName.put(type.name(), type) != null) {
                throw new IllegalArgumentException("channel type registered twice: " + type.name());
            }
        }
        this.types = List.copyOf(types);
    }

    /** These types and {@code more}: for a test's own channel type, or an app that adds one of its own. */
    public ChannelTypes with(ChannelType<?>... more) {
        List<ChannelType<?>> all = new ArrayList<>(types);
        all.addAll(List.of(more));
        return new ChannelTypes(all);
    }

    public List<ChannelType<?>> types() {
        return types;
    }

    /** The types' names, as a request spells them. */
    public Set<String> names() {
        return types.stream().map(ChannelType::name).collect(Collectors.toUnmodifiableSet());
    }

    /** The engine's view: each type's rules. */
    public Channels rules() {
        return new Channels(types.stream().<ChannelRules<?>>map(ChannelType::rules).toList());
    }

    /** The HTTP API's view: each type's form in requests and responses. */
    public ChannelForms forms() {
        return new ChannelForms(types.stream().<ChannelForm<?>>map(ChannelType::form).toList());
    }

    /** The {@link io.sequencer.engine.send.Channel} port: each type's sender, behind one router. */
    public ChannelRouter router(SenderKit kit) {
        return new ChannelRouter(types.stream().<ChannelSender<?>>map(type -> type.sender(kit)).toList());
    }

    /** The app settings the types read, for the app's list of the settings it reads. */
    public List<String> settingNames() {
        return types.stream().flatMap(type -> type.settingNames().stream()).toList();
    }

    /** Each budgeted type's rate per destination, by type name, as {@code settings} say. */
    public Map<String, Double> ratesPerDestination(SettingReader settings) {
        Map<String, Double> rates = new LinkedHashMap<>();
        types.forEach(type -> type.ratePerDestination(settings).ifPresent(rate -> rates.put(type.name(), rate)));
        return rates;
    }

    /** The stores' view: each type's stored form. */
    public StoredChannelForms storedForms() {
        return new StoredChannelForms(types.stream().<StoredChannelForm<?>>map(ChannelType::storedForm).toList());
    }
}
