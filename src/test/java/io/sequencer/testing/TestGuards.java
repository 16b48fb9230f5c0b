package io.sequencer.testing;

import io.sequencer.adapters.channel.SystemHostResolver;
import io.sequencer.domain.address.DestinationPolicy;
import io.sequencer.engine.send.AddressGuard;

/** Address guards for tests whose receivers (MockWebServer, local sinks) listen on 127.0.0.1. */
public final class TestGuards {
    private TestGuards() {}

    /** Loopback allowed, as {@code SEQUENCER_ALLOW_LOOPBACK_DESTINATIONS=true} does; nothing else private. */
    public static AddressGuard loopbackAllowed() {
        return new AddressGuard(new DestinationPolicy(true, false), new SystemHostResolver());
    }
}
