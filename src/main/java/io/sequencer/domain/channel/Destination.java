package io.sequencer.domain.channel;

import java.net.URI;
import java.util.Locale;

/**
 * Where a channel's sends land, as one key for everything that is kept per destination (the send budget, the
 * bulkhead and the circuit): a webhook's scheme, host and port; a Messenger page; a SendGrid sender. Messenger and
 * SendGrid each have one API host per app, so the page or the sender alone tells their destinations apart. The key
 * never holds a path, a query, user info or a secret, so it may be shown in metrics. Each channel type makes its
 * own ({@link ChannelConfig#destination()}).
 */
public record Destination(String key) {

    public Destination {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("a destination needs a key");
        }
    }

    /** A URL's destination: {@code scheme://host:port}, lower case, with the scheme's default port spelt out. */
    public static Destination origin(URI url) {
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        String host = url.getHost() == null ? String.valueOf(url.getAuthority()) : url.getHost();
        int port = url.getPort() >= 0 ? url.getPort() : scheme.equals("https") ? 443 : 80;
        return new Destination(scheme + "://" + host.toLowerCase(Locale.ROOT) + ":" + port);
    }

    @Override
    public String toString() {
        return key;
    }
}
