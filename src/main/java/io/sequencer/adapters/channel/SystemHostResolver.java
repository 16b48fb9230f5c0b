package io.sequencer.adapters.channel;

import io.sequencer.engine.send.HostResolver;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Names resolved by the platform's resolver, as any Java client would. */
public final class SystemHostResolver implements HostResolver {
    @Override
    public List<InetAddress> resolve(String name) throws UnknownHostException {
        return List.of(InetAddress.getAllByName(name));
    }
}
