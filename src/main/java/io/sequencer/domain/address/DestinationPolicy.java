package io.sequencer.domain.address;

import java.net.InetAddress;
import java.util.Locale;

/**
 * Where a tenant's URLs may lead: public addresses only, so that no account can reach into the platform (its
 * metadata service, its network, the app's own host). Loopback is allowed only when the admin says so, for local
 * runs and tests whose receivers listen on 127.0.0.1; nothing else private ever is. On Azure only https is
 * allowed, so a send cannot be read or changed on the way.
 */
public record DestinationPolicy(boolean allowLoopback, boolean requireHttps) {
    /** What a deployment gets: public https addresses only. */
    public static final DestinationPolicy STRICT = new DestinationPolicy(false, true);

    public boolean allows(InetAddress address) {
        AddressClass kind = AddressClass.of(address);
        return kind == AddressClass.PUBLIC || (allowLoopback && kind == AddressClass.LOOPBACK);
    }

    public boolean allowsScheme(String scheme) {
        String s = scheme == null ? "" : scheme.toLowerCase(Locale.ROOT);
        return s.equals("https") || (!requireHttps && s.equals("http"));
    }

    /**
     * The one answer to every refused URL, whatever the reason (a private address, a name that does not resolve,
     * a disallowed scheme): it never tells what a name resolved to, nor whether it exists.
     */
    public String refusal() {
        return requireHttps ? "must be a public https address" : "must be a public http or https address";
    }
}
