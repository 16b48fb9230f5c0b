package io.sequencer.engine;

import io.sequencer.domain.AudienceMember;
import io.sequencer.domain.BroadcastTime;
import io.sequencer.domain.ChannelConfig;
import io.sequencer.domain.Condition;
import java.util.List;
import java.util.Optional;

/** A request to schedule a broadcast, as read from the API (fields already checked one by one). */
public record BroadcastRequest(BroadcastTime sendTime, ChannelConfig channel, String message, Optional<String> tag,
                               List<AudienceMember> listed, boolean everyone, Optional<Condition> match) {
    public BroadcastRequest {
        listed = List.copyOf(listed);
    }
}
