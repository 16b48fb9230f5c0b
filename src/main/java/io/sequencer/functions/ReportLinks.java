package io.sequencer.functions;

import io.sequencer.domain.report.ReportLinkTokens;
import io.sequencer.domain.report.ReportRef;
import java.net.URI;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * Report links as app settings configure them: the signing keys (current and, during a rotation, previous) and the
 * address links are built on. Without a usable key no link is issued and none opens: the feature fails closed.
 */
final class ReportLinks {
    /** The HMAC key of report links: at least 32 characters (e.g. {@code openssl rand -base64 48}). */
    static final String KEY_SETTING = "SEQUENCER_REPORT_LINK_KEY";
    /** Optional: the key being retired; links it signed keep working until this setting is removed. */
    static final String PREVIOUS_KEY_SETTING = "SEQUENCER_REPORT_LINK_KEY_PREVIOUS";
    /**
     * Optional: the origin links are built on ({@code https://sequencer.example.com}); without it, the origin the
     * request reached. Forwarded headers are never used: a caller could make the link point anywhere.
     */
    static final String PUBLIC_BASE_URL_SETTING = "SEQUENCER_PUBLIC_BASE_URL";

    private final Optional<ReportLinkTokens> tokens;
    private final Optional<URI> publicBase;

    private ReportLinks(Optional<ReportLinkTokens> tokens, Optional<URI> publicBase) {
        this.tokens = tokens;
        this.publicBase = publicBase;
    }

    static ReportLinks fromSettings(Function<String, String> settings) {
        Optional<byte[]> key = key(settings, KEY_SETTING);
        Optional<ReportLinkTokens> tokens = key.map(k -> new ReportLinkTokens(k, key(settings, PREVIOUS_KEY_SETTING)));
        return new ReportLinks(tokens, publicBase(settings.apply(PUBLIC_BASE_URL_SETTING)));
    }

    /** The token for reading {@code report} until {@code expiresAt}. */
    String issue(ReportRef report, Instant expiresAt) {
        return tokens.orElseThrow(() -> new NotConfigured("report links are not configured on this service: app setting "
                + KEY_SETTING + " is missing or shorter than " + SecretSetting.MIN_CHARS + " characters"))
                .issue(report, expiresAt);
    }

    /** The report {@code token} opens now; empty for every kind of refusal alike, and always when unconfigured. */
    Optional<ReportRef> open(String token, Instant now) {
        return tokens.flatMap(t -> t.open(token, now));
    }

    /** Where a link is served: the configured origin, or the request's own, followed by the request's route prefix. */
    String sharedPageUrl(URI requestUri, String token) {
        String path = requestUri.getPath();
        int accounts = path.indexOf("/accounts/");
        String routePrefix = accounts < 0 ? "" : path.substring(0, accounts);
        String origin = publicBase.map(URI::toString)
                .orElseGet(() -> requestUri.getScheme() + "://" + requestUri.getRawAuthority());
        return origin + routePrefix + "/shared/report.html?token=" + token;
    }

    private static Optional<byte[]> key(Function<String, String> settings, String name) {
        return SecretSetting.read(settings, name, "report links are off");
    }

    private static Optional<URI> publicBase(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        URI uri = URI.create(value.trim().replaceAll("/+$", ""));
        if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null
                || (uri.getRawPath() != null && !uri.getRawPath().isEmpty()) || uri.getRawQuery() != null) {
            throw new IllegalStateException(PUBLIC_BASE_URL_SETTING + " must be an origin such as "
                    + "https://sequencer.example.com (no path or query), was " + value);
        }
        return Optional.of(uri);
    }
}
