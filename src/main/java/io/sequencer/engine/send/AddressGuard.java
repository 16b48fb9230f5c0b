package io.sequencer.engine.send;

import io.sequencer.domain.Invalid;
import io.sequencer.domain.address.DestinationPolicy;
import io.sequencer.domain.address.HostSpelling;
import io.sequencer.domain.channel.ChannelConfig;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Keeps tenants' URLs off addresses inside the platform, twice: when a URL is defined (so a mistake is a 400 at
 * once) and when a send connects (so a name that resolved to a public address then and to a private one now, DNS
 * rebinding, is still refused). A name is refused as a whole when any of its addresses is not allowed: a client
 * that falls back from one address to the next would otherwise reach the private one, and a name that mixes both
 * is no receiver's honest setup. Numeric hosts are read here, never handed to DNS.
 */
public final class AddressGuard {
    private final DestinationPolicy policy;
    private final HostResolver resolver;

    public AddressGuard(DestinationPolicy policy, HostResolver resolver) {
        this.policy = policy;
        this.resolver = resolver;
    }

    public DestinationPolicy policy() {
        return policy;
    }

    /**
     * The addresses to connect to for {@code host}, every one of them allowed; for a numeric host, the one address
     * it stands for.
     * @throws AddressRefused when the host is, or resolves to, any address that is not allowed
     * @throws UnknownHostException when the name does not resolve
     */
    public List<InetAddress> checkedAddresses(String host) throws UnknownHostException {
        HostSpelling spelling = HostSpelling.of(host);
        List<InetAddress> addresses;
        if (spelling instanceof HostSpelling.Literal literal) {
            requireAllowed(host, literal.readings());
            return List.of(literal.address());
        } else if (spelling instanceof HostSpelling.LocalName local) {
            if (!policy.allowLoopback()) {
                throw new AddressRefused(host);
            }
            addresses = resolver.resolve(local.name());
        } else if (spelling instanceof HostSpelling.Name name) {
            addresses = resolver.resolve(name.name());
        } else {
            throw new AddressRefused(host);
        }
        if (addresses.isEmpty()) {
            throw new UnknownHostException(host);
        }
        requireAllowed(host, addresses);
        return List.copyOf(addresses);
    }

    private void requireAllowed(String host, List<InetAddress> addresses) throws AddressRefused {
        for (InetAddress address : addresses) {
            if (!policy.allows(address)) {
                throw new AddressRefused(host);
            }
        }
    }

    /**
     * Refuses {@code url} unless its scheme is allowed and its host resolves to allowed addresses only. The
     * answer is the same whatever the reason, so it tells nothing about what a name resolves to or whether it
     * exists.
     * @throws Invalid naming {@code field}
     */
    public void requireAllowed(String field, URI url) {
        String host = url.getHost();
        if (!policy.allowsScheme(url.getScheme()) || host == null || host.isEmpty()) {
            throw new Invalid(field, policy.refusal());
        }
        try {
            checkedAddresses(host);
        } catch (UnknownHostException refusedOrUnknown) {
            throw new Invalid(field, policy.refusal());
        }
    }

    /** The channel's own URL, for a channel that posts to the tenant's URL, at {@code channel.url}. */
    public void requireAllowed(ChannelConfig channel) {
        requireAllowed("", channel);
    }

    /** As above, for a channel object at {@code prefix} ({@code steps[0].}) of the request. */
    public void requireAllowed(String prefix, ChannelConfig channel) {
        channel.tenantUrl().ifPresent(url -> requireAllowed(prefix + "channel.url", url));
    }
}
