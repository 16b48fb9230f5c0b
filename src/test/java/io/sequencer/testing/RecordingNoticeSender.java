package io.sequencer.testing;

import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.notification.Notice;
import io.sequencer.domain.notification.NotificationSettings;
import io.sequencer.engine.notification.NoticeSender;
import io.sequencer.engine.send.SendResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/** A notice sender for engine tests: records every batch it accepts and answers from a script (default: sent). */
public final class RecordingNoticeSender implements NoticeSender {
    private final List<List<Map.Entry<EnrollmentKey, Notice>>> batches = new ArrayList<>();
    private final Deque<SendResult> script = new ArrayDeque<>();
    private int calls;

    @Override
    public synchronized SendResult send(NotificationSettings settings, List<Map.Entry<EnrollmentKey, Notice>> batch) {
        calls++;
        SendResult result = script.isEmpty() ? new SendResult.Sent("HTTP 200") : script.poll();
        if (result instanceof SendResult.Sent) {
            batches.add(List.copyOf(batch));
        }
        return result;
    }

    public synchronized RecordingNoticeSender thenAnswer(SendResult... results) {
        script.addAll(List.of(results));
        return this;
    }

    public synchronized List<List<Map.Entry<EnrollmentKey, Notice>>> batches() {
        return List.copyOf(batches);
    }

    /** Every accepted event, in the order received. */
    public synchronized List<Map.Entry<EnrollmentKey, Notice>> events() {
        return batches.stream().flatMap(List::stream).toList();
    }

    public synchronized int calls() {
        return calls;
    }
}
