package io.sequencer.engine.notification;

import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.notification.Notice;
import io.sequencer.domain.notification.NotificationSettings;
import io.sequencer.engine.send.SendResult;
import java.util.List;
import java.util.Map;

/** Port: POSTs a batch of lifecycle events to an account's notification URL, signed. */
public interface NoticeSender {
    SendResult send(NotificationSettings settings, List<Map.Entry<EnrollmentKey, Notice>> batch);
}
