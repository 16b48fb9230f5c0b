package io.sequencer.engine.timer;

import java.util.UUID;
import java.util.function.Supplier;

/** Source of timer tokens: each scheduled timer gets one nobody else has. */
public interface TimerTokens extends Supplier<String> {
    static TimerTokens random() {
        return () -> UUID.randomUUID().toString();
    }
}
