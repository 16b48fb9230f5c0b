package io.sequencer.engine.send;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Port: the addresses a host name resolves to (DNS in production; tests answer what they like). */
public interface HostResolver {
    /** @throws UnknownHostException when the name has no address */
    List<InetAddress> resolve(String name) throws UnknownHostException;
}
