package io.sequencer.domain.enrollment;

/**
 * What an enrollment remembers of the channel a step with fallback channels goes on, for the delivery {@code deliveryId}
 * only: written before the send, so that a retry of that delivery (after a transient failure or a crash) asks the
 * same channel and never a second one. {@code chosen}: the message goes on stop {@code stop} and nowhere else;
 * not chosen: stop {@code stop} and the stops after it may still be asked (the ones before it heard that the recipient
 * is gone).
 */
public record RoutePin(String deliveryId, int stop, boolean chosen) {
    public RoutePin {
        if (deliveryId == null || deliveryId.isEmpty() || stop < 0) {
            throw new IllegalArgumentException("a route pin needs its delivery id and a stop from 0");
        }
    }

    /** The pin that sends {@code deliveryId} on stop {@code stop} only. */
    public static RoutePin chosen(String deliveryId, int stop) {
        return new RoutePin(deliveryId, stop, true);
    }

    /** The pin that asks stop {@code stop} and later ones for {@code deliveryId}, never an earlier one. */
    public static RoutePin from(String deliveryId, int stop) {
        return new RoutePin(deliveryId, stop, false);
    }

    public boolean pins(String delivery) {
        return deliveryId.equals(delivery);
    }
}
