package io.sequencer.adapters.json.stored;

import io.sequencer.domain.enrollment.RoutePin;
import java.util.Optional;

/**
 * The channel a delivery is pinned to, as one row property ({@code routePin} of an enrollment or a broadcast's
 * recipient): {@code <deliveryId> <stop> chosen|from}. Delivery ids hold no spaces.
 */
final class StoredPin {
    static final String FIELD = "routePin";

    private StoredPin() {}

    static Optional<String> write(Optional<RoutePin> pin) {
        return pin.map(p -> p.deliveryId() + " " + p.stop() + " " + (p.chosen() ? "chosen" : "from"));
    }

    static Optional<RoutePin> read(StoredRow row) {
        return row.optionalText(FIELD).map(text -> row.parse(FIELD, text, StoredPin::parse));
    }

    private static RoutePin parse(String text) {
        String[] parts = text.split(" ");
        if (parts.length != 3 || !parts[1].matches("[0-9]{1,2}") || !(parts[2].equals("chosen") || parts[2].equals("from"))) {
            throw new IllegalArgumentException("is not '<deliveryId> <stop> chosen|from': " + text);
        }
        return new RoutePin(parts[0], Integer.parseInt(parts[1]), parts[2].equals("chosen"));
    }
}
