package io.sequencer.domain.account;

import io.sequencer.domain.Ids;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which app settings an account may name as its secret ({@code secretSetting}, {@code pageTokenSetting},
 * {@code apiKeySetting}): only names under the prefix the admin's template gives that account, and never a setting
 * of the platform. Without a template no account may name any app setting: an app serving many accounts must not
 * hand one account's keys, or its own storage connection, to another.
 *
 * <p>The template is {@code <HEAD>{ACCOUNT}__<TAIL>}, e.g. {@code SEQ_{ACCOUNT}__}. The account id appears in it
 * upper-cased with {@code -} as {@code _} when it is lower-case letters and digits, starting with a letter, with
 * single hyphens between ({@code demo-account} gives {@code SEQ_DEMO_ACCOUNT__}); any other id appears as {@code 0}
 * and the hex of its characters ({@code Acme} gives {@code SEQ_041636D65__}). Why this shape: app setting names
 * are letters, digits and {@code _} and Azure compares them ignoring case, so a plain "upper-case it, anything else
 * to {@code _}" would give {@code a-b}, {@code a_b} and {@code A-B} one prefix; and with a single {@code _} after
 * the account, {@code acme}'s prefix {@code SEQ_ACME_} would also be the start of {@code acme-shop}'s
 * {@code SEQ_ACME_SHOP_}. Here the encoding is one-to-one, never holds {@code __} and never ends in {@code _},
 * so the first {@code __} after the head ends the account: no name lies under two accounts' prefixes.
 */
public final class AppSettingPolicy {
    /** The app setting holding the template; absent or empty means no account may name an app setting. */
    public static final String TEMPLATE_SETTING = "SEQUENCER_ACCOUNT_SETTING_PREFIX";
    static final String ACCOUNT_PLACEHOLDER = "{ACCOUNT}";
    /** Settings of the Functions host, App Service, the identity endpoint, telemetry and Sequencer itself. */
    static final List<String> RESERVED = List.of("AzureWebJobs", "WEBSITE_", "IDENTITY_", "MSI_",
            "APPLICATIONINSIGHTS_", "FUNCTIONS_", "SEQUENCER_");

    // No length bound here: the API bounds names; a stored name's _PREVIOUS companion may be longer, and is as allowed.
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]+");
    private static final Pattern TEMPLATE = Pattern.compile("([A-Za-z][A-Za-z0-9_]*_)\\{ACCOUNT}(__[A-Za-z0-9_]*)");
    private static final Pattern READABLE_ACCOUNT = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final String head;
    private final String tail;

    private AppSettingPolicy(String head, String tail) {
        this.head = head;
        this.tail = tail;
    }

    /** The policy no account can use an app setting under. */
    static AppSettingPolicy none() {
        return new AppSettingPolicy(null, null);
    }

    /**
     * The policy of {@code template}; null or blank means {@link #none()}.
     * @throws IllegalArgumentException when it is not {@code <HEAD>{ACCOUNT}__<TAIL>} with a head that is letters,
     *     digits and {@code _}, starts with a letter, ends in {@code _} and is not reserved
     */
    public static AppSettingPolicy of(String template) {
        if (template == null || template.isBlank()) {
            return none();
        }
        Matcher parts = TEMPLATE.matcher(template.strip());
        if (!parts.matches()) {
            throw new IllegalArgumentException("must look like SEQ_{ACCOUNT}__: a head of letters, digits and '_' "
                    + "that starts with a letter and ends in '_', then {ACCOUNT}, then '__' and optionally more");
        }
        if (reserved(parts.group(1))) {
            throw new IllegalArgumentException("must not start with a reserved prefix (" + String.join(", ", RESERVED) + ")");
        }
        return new AppSettingPolicy(parts.group(1), parts.group(2));
    }

    /** The admin's policy from the app settings. @throws IllegalStateException naming the setting when unusable */
    public static AppSettingPolicy fromSettings(Function<String, String> settings) {
        try {
            return of(settings.apply(TEMPLATE_SETTING));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(TEMPLATE_SETTING + " " + e.getMessage());
        }
    }

    /** The start of every app setting name {@code account} may use; empty when it may use none. */
    public Optional<String> prefixFor(String account) {
        if (head == null || Ids.problemWith(account).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(head + encode(account) + tail);
    }

    /**
     * Why {@code account} may not name app setting {@code name}, or empty when it may. The reason depends only on
     * the account, the name and the template, never on whether the setting exists, so it tells an account nothing
     * about settings outside its own prefix.
     */
    public Optional<String> problemWith(String account, String name) {
        // ASCII first: a case-insensitive comparison would otherwise match look-alikes ('ſ' upper-cases to 'S').
        if (name == null || !NAME.matcher(name).matches()) {
            return Optional.of("must be an app setting name: letters, digits and '_'");
        }
        if (reserved(name)) {
            return Optional.of("must not name a setting reserved for the platform");
        }
        if (head == null) {
            return Optional.of("may not name an app setting: this service allows none (an admin allows them with "
                    + TEMPLATE_SETTING + ")");
        }
        Optional<String> prefix = prefixFor(account);
        if (prefix.isEmpty()) {
            return Optional.of("may not name an app setting: this account's id gives it none");
        }
        String own = prefix.get();
        if (name.length() <= own.length() || !name.regionMatches(true, 0, own, 0, own.length())) {
            return Optional.of("must name an app setting that starts with " + own + ", this account's prefix");
        }
        return Optional.empty();
    }

    boolean allows(String account, String name) {
        return problemWith(account, name).isEmpty();
    }

    /**
     * The account id as it appears in its prefix: one-to-one, only {@code [A-Z0-9_]}, never {@code __}, never a
     * trailing {@code _}. Readable ids start with a letter and others with {@code 0}, so the two forms never meet.
     */
    static String encode(String account) {
        if (READABLE_ACCOUNT.matcher(account).matches()) {
            return account.toUpperCase(Locale.ROOT).replace('-', '_');
        }
        StringBuilder out = new StringBuilder("0");
        for (byte b : account.getBytes(StandardCharsets.UTF_8)) {
            out.append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
        }
        return out.toString();
    }

    private static boolean reserved(String name) {
        return RESERVED.stream().anyMatch(r -> name.regionMatches(true, 0, r, 0, r.length()));
    }
}
