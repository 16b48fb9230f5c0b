package io.sequencer.domain.channel;

/**
 * The name (never the value) of a credential a channel uses: an app setting, or a secret of the account's own,
 * named by {@code field} of the channel object, so that a name pointing nowhere is refused at that field.
 */
public record CredentialName(String field, Source source, String name) {

    public enum Source { APP_SETTING, ACCOUNT_SECRET }

    public CredentialName {
        if (field == null || source == null || name == null) {
            throw new IllegalArgumentException("a credential name needs its field, source and name");
        }
    }
}
