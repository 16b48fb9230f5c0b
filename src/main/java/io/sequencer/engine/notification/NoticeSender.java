package io.sequencer.engine;

import io.sequencer.domain.EnrollmentKey;
import io.sequencer.domain.Notice;
import io.sequencer.domain.NotificationSettings;
import java.util.List;
import java.util.Map;

/** Port: POSTs a batch of lifecycle events to an account's notification URL, signed. */
public interface NoticeSender {
    SendResult send(NotificationSettings settings, List<Map.Entry<EnrollmentKey, Notice>> batch);
}
