package io.sequencer.adapters.channel;

import io.sequencer.domain.address.HostSpelling;
import io.sequencer.engine.send.AddressGuard;
import io.sequencer.engine.send.AddressRefused;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import okhttp3.Dns;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * The address guard where connections are made, in the two places OkHttp decides where to connect. As its
 * {@link Dns}, it resolves a name once and hands back only the addresses it checked, so the connection goes to
 * exactly what was allowed (a name cannot rebind between the check and the connect). As an interceptor, it checks
 * hosts that OkHttp never resolves (IP literals, which it parses itself, and the hex or octal spellings that it
 * would take for names), and it sends the request to the one address it checked, spelled so that every parser
 * reads it the same way.
 */
final class AddressCheck implements Dns, Interceptor {
    private final AddressGuard guard;

    AddressCheck(AddressGuard guard) {
        this.guard = guard;
    }

    @Override
    public List<InetAddress> lookup(String hostname) throws UnknownHostException {
        return guard.checkedAddresses(hostname);
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        // Qualified: inside a Dns, the simple name Request is Dns.Request (okhttp 5.5), not the HTTP request.
        okhttp3.Request request = chain.request();
        HttpUrl url = request.url();
        if (!guard.policy().allowsScheme(url.scheme())) {
            throw new AddressRefused(url.host());
        }
        if (HostSpelling.of(url.host()) instanceof HostSpelling.Literal) {
            InetAddress address = guard.checkedAddresses(url.host()).get(0);
            HttpUrl exact = url.newBuilder().host(address.getHostAddress()).build();
            if (!exact.equals(url)) {
                request = request.newBuilder().url(exact).build();
            }
        }
        return chain.proceed(request);
    }
}
