package io.sequencer.domain.channel;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Where a sequence's or a broadcast's messages go. Each channel type has its own record, in its own package, and the
 * rest of the app reads a channel only through this interface and the registry of channel types: what kind it is,
 * where its sends land, which credentials it names and which tenant URL it posts to. Secrets are never held here,
 * only names: of an app setting or of a secret of the account's own.
 */
public interface ChannelConfig {

    /** The channel type's name, as the API and the stored forms spell it ({@code webhook}). */
    String type();

    /** Where its sends land: the key of its send budget, bulkhead and circuit. */
    Destination destination();

    /** The credentials it names, each with the field of the channel object that names it. */
    default List<CredentialName> credentials() {
        return List.of();
    }

    /** The account's own secret this channel names, if it names one rather than an app setting. */
    default Optional<String> accountSecret() {
        return credentials().stream().filter(c -> c.source() == CredentialName.Source.ACCOUNT_SECRET)
                .map(CredentialName::name).findFirst();
    }

    /**
     * A URL of the tenant's own that the sends go to, which the address guard checks when the channel is defined and
     * again when a send connects; empty for a platform's own API host.
     */
    default Optional<URI> tenantUrl() {
        return Optional.empty();
    }
}
