package io.sequencer.engine.broadcast;

import io.sequencer.domain.broadcast.AudienceMember;
import io.sequencer.domain.broadcast.BroadcastTime;
import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.domain.channel.ChannelRoute;
import io.sequencer.domain.sequence.Condition;
import java.util.List;
import java.util.Optional;

/**
 * A request to schedule a broadcast, as read from the API (fields already checked one by one); {@code marketingMessage}
 * for {@code "outsideWindow": "marketing_message"}; {@code exempt} (transactional) keeps its sends out of the
 * account's frequency caps; {@code route} holds the channels it falls back to.
 */
public record BroadcastRequest(BroadcastTime sendTime, ChannelConfig channel, String message, Optional<String> tag,
                               List<AudienceMember> listed, boolean everyone, Optional<Condition> match,
                               boolean marketingMessage, boolean exempt, ChannelRoute route) {
    public BroadcastRequest {
        listed = List.copyOf(listed);
    }

    /** A request with no fallback channels. */
    public BroadcastRequest(BroadcastTime sendTime, ChannelConfig channel, String message, Optional<String> tag,
                            List<AudienceMember> listed, boolean everyone, Optional<Condition> match,
                            boolean marketingMessage, boolean exempt) {
        this(sendTime, channel, message, tag, listed, everyone, match, marketingMessage, exempt, ChannelRoute.DEFAULT);
    }

    /** Not a marketing broadcast, and one that counts against the frequency caps. */
    public BroadcastRequest(BroadcastTime sendTime, ChannelConfig channel, String message, Optional<String> tag,
                            List<AudienceMember> listed, boolean everyone, Optional<Condition> match) {
        this(sendTime, channel, message, tag, listed, everyone, match, false, false);
    }
}
