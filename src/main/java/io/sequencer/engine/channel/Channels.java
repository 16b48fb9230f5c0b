package io.sequencer.engine.channel;

import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.domain.subscriber.Subscriber;
import io.sequencer.engine.send.SendGate.Verdict;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rules of every channel type the engine was built with, by configuration record: the engine asks this
 * registry, never the configuration's type, what a channel demands. Made once from the registered channel types
 * and handed to the engine by its builder.
 */
public final class Channels {
    private final Map<Class<? extends ChannelConfig>, ChannelRules<?>> rules = new LinkedHashMap<>();

    public Channels(List<? extends ChannelRules<?>> registered) {
        for (ChannelRules<?> r : registered) {
            if (rules.put(r.config(), r) != null) {
                throw new IllegalArgumentException("channel type registered twice: " + r.config().getSimpleName());
            }
        }
    }

    /** The configuration records registered, in registration order. */
    public List<Class<? extends ChannelConfig>> types() {
        return List.copyOf(rules.keySet());
    }

    /** See {@link ChannelRules#needsProfile}. */
    public boolean needsProfile(ChannelConfig channel) {
        return rulesOf(channel).needsProfile();
    }

    /** See {@link ChannelRules#hold}. */
    public Optional<Verdict> hold(ChannelConfig channel, ChannelRules.Message message) {
        return rulesOf(channel).hold(channel, message);
    }

    /** See {@link ChannelRules#recipient}. */
    public Verdict recipient(ChannelConfig channel, Optional<Subscriber> profile) {
        return rulesOf(channel).recipient(channel, profile);
    }

    /** See {@link ChannelRules#sameRecipient}; channels of two types never reach the same recipient. */
    public boolean sameRecipient(ChannelConfig failed, ChannelConfig other) {
        return failed.getClass() == other.getClass() && rulesOf(failed).sameRecipient(failed, other);
    }

    /** See {@link ChannelRules#testRecipient}. */
    public TestRecipient testRecipient(ChannelConfig channel, String to) {
        return rulesOf(channel).testRecipient(channel, to);
    }

    /** See {@link ChannelRules#refuseRendered}. */
    public Optional<String> refuseRendered(ChannelConfig channel, String message) {
        return rulesOf(channel).refuseRendered(channel, message);
    }

    @SuppressWarnings("unchecked")
    private <C extends ChannelConfig> ChannelRules<C> rulesOf(C channel) {
        ChannelRules<?> found = rules.get(channel.getClass());
        if (found == null) {
            throw new IllegalStateException("no rules registered for channel " + channel.getClass().getSimpleName());
        }
        return (ChannelRules<C>) found;
    }
}
