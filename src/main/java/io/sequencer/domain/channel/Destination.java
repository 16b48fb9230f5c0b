package io.sequencer.domain.channel;

import java.net.URI;
import java.util.Locale;

/**
 * Where a channel's sends land, as one key for everything that is kept per destination (the send budget, the
 * bulkhead and the circuit): a webhook's scheme, host and port; a Messenger page; a SendGrid sender. Messenger and
 * SendGrid each have one API host per app, so the page or the sender alone tells their destinations apart. The key
 * never holds a path, a query, user info or a secret, so it may be shown in metrics.
 */
public record Destination(String key) {

    public Destination {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("a destination needs a key");
        }
    }

    public static Destination of(ChannelConfig channel) {
        if (channel instanceof ChannelConfig.Webhook webhook) {
            return new Destination(origin(webhook.url()));
        }
        if (channel instanceof ChannelConfig.Messenger messenger) {
            return new Destination("messenger:" + messenger.pageId());
        }
        if (channel instanceof ChannelConfig.SendGrid sendGrid) {
            return new Destination("sendgrid:" + sendGrid.fromEmail());
        }
        throw new IllegalArgumentException("no destination for channel " + channel.getClass().getSimpleName());
    }

    /** {@code scheme://host:port}, lower case, with the scheme's default port spelt out. */
    private static String origin(URI url) {
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        String host = url.getHost() == null ? String.valueOf(url.getAuthority()) : url.getHost();
        int port = url.getPort() >= 0 ? url.getPort() : scheme.equals("https") ? 443 : 80;
        return scheme + "://" + host.toLowerCase(Locale.ROOT) + ":" + port;
    }

    @Override
    public String toString() {
        return key;
    }
}
