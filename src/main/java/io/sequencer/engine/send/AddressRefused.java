package io.sequencer.engine.send;

import java.net.UnknownHostException;

/**
 * A destination whose host is, or resolves to, an address tenants may not reach. An {@link UnknownHostException}
 * because that is what a name lookup may throw, so an HTTP client stops before it opens a connection; its message
 * names the host only, never an address.
 */
public final class AddressRefused extends UnknownHostException {
    public AddressRefused(String host) {
        super("address of " + host + " not allowed");
    }
}
