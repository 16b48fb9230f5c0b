package io.sequencer.adapters.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How the API names what channels and notification settings share: credentials (an app setting or an account
 * secret, never a value) and webhook URLs, each checked the same way wherever they appear.
 */
public final class ChannelJson {
    private static final Pattern SETTING_NAME = Pattern.compile("[A-Za-z0-9_]{1,128}");

    private ChannelJson() {}

    /** A credential named one of two ways: an app setting, or a secret of the account's own. */
    public record Credential(Optional<String> setting, Optional<String> secret) {}

    /**
     * The app setting ({@code settingField}) or account secret ({@code secretField}) a credential is named by: one of
     * them (when {@code required}) and never both. Null, with the problem recorded, when that does not hold.
     */
    public static Credential credential(JsonNode node, String settingField, String secretField, String prefix,
                                        boolean required, FieldReader in) {
        boolean namesSecret = node.hasNonNull(secretField);
        String setting = settingName(node, settingField, prefix + settingField, required && !namesSecret, in);
        String secret = namesSecret ? in.id(node, secretField, prefix + secretField) : null;
        if (setting != null && namesSecret) {
            in.fail(prefix + secretField, "name " + secretField + " or " + settingField + ", not both");
            return null;
        }
        if (setting == null && secret == null) {
            return required || namesSecret || node.hasNonNull(settingField) ? null
                    : new Credential(Optional.empty(), Optional.empty());
        }
        return new Credential(Optional.ofNullable(setting), Optional.ofNullable(secret));
    }

    /** The name of an app setting (never its value), required or not, checked at {@code path}. */
    private static String settingName(JsonNode node, String field, String path, boolean required, FieldReader in) {
        String name = in.string(node, field, path, required, 128);
        if (name != null && !SETTING_NAME.matcher(name).matches()) {
            in.fail(path, "must be an app setting name: letters, digits and '_'");
            return null;
        }
        return name;
    }

    /** The optional name of the app setting holding a signing secret, checked at {@code path}. */
    static String secretSetting(JsonNode node, String path, FieldReader in) {
        return settingName(node, "secretSetting", path, false, in);
    }

    /** {@code url} when it is an absolute http(s) URL without credentials; else null, with the problem on {@code path}. */
    public static URI webhookUrl(String url, String path, FieldReader in) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                in.fail(path, "must be an absolute http or https URL");
                return null;
            }
            if (okhttp3.HttpUrl.parse(url) == null || uri.getPort() == 0 || uri.getPort() > 65535) {
                in.fail(path, "is not a valid http or https URL");
                return null;
            }
            if (uri.getUserInfo() != null) {
                in.fail(path, "must not carry credentials; use secretSetting to sign requests");
                return null;
            }
            return uri;
        } catch (URISyntaxException e) {
            in.fail(path, "is not a valid URL");
            return null;
        }
    }
}
