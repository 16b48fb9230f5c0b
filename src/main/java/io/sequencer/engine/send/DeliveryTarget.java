package io.sequencer.engine.send;

import io.sequencer.domain.enrollment.EnrollmentKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Who a delivery is for and on whose behalf: a step of one enrollment, or one broadcast. */
public sealed interface DeliveryTarget {

    String account();

    String subscriberId();

    /** The ids a channel passes along with the message (webhook fields, e-mail custom args), in a stable order. */
    Map<String, String> ids();

    /** A sequence's step for one enrollment; {@code variant} names the step's A/B variant (or split path) sent. */
    record Step(EnrollmentKey key, String stepId, Optional<String> variant) implements DeliveryTarget {
        public Step {
            if (variant == null) {
                throw new IllegalArgumentException("variant may be empty, not null");
            }
        }

        /** A step without variants. */
        public Step(EnrollmentKey key, String stepId) {
            this(key, stepId, Optional.empty());
        }

        @Override
        public String account() {
            return key.account();
        }

        @Override
        public String subscriberId() {
            return key.subscriberId();
        }

        @Override
        public Map<String, String> ids() {
            Map<String, String> ids = new LinkedHashMap<>();
            ids.put("account", key.account());
            ids.put("sequenceId", key.sequenceId());
            ids.put("stepId", stepId);
            ids.put("subscriberId", key.subscriberId());
            variant.ifPresent(v -> ids.put("variant", v));
            return ids;
        }
    }

    /** A broadcast's message to one subscriber. */
    record Broadcast(String account, String broadcastId, String subscriberId) implements DeliveryTarget {
        @Override
        public Map<String, String> ids() {
            Map<String, String> ids = new LinkedHashMap<>();
            ids.put("account", account);
            ids.put("broadcastId", broadcastId);
            ids.put("subscriberId", subscriberId);
            return ids;
        }
    }

    /**
     * A step sent to a tester, outside any enrollment: the ids of a step's delivery ({@code subscriberId} is whom the
     * message was rendered for, or the tester's page-scoped id on Messenger), marked {@code test}.
     */
    record TestSend(String account, String sequenceId, String stepId, String subscriberId) implements DeliveryTarget {
        @Override
        public Map<String, String> ids() {
            Map<String, String> ids = new LinkedHashMap<>();
            ids.put("account", account);
            ids.put("sequenceId", sequenceId);
            ids.put("stepId", stepId);
            ids.put("subscriberId", subscriberId);
            ids.put("test", "true");
            return ids;
        }
    }
}
