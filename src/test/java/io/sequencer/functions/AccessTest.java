package io.sequencer.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.HttpStatusType;
import io.sequencer.engine.NotFound;
import io.sequencer.engine.account.AccountKeys;
import io.sequencer.testing.InMemoryAccountKeyStore;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one decision on who may call what, as every HTTP function makes it on Azure and on the local host. */
class AccessTest {
    private static final String ADMIN_KEY = "admin-key-0123456789abcdef-0123456789";
    private final AccountKeys keys = new AccountKeys(new InMemoryAccountKeyStore(), new SecureRandom(), Clock.systemUTC());
    private final Access access = Access.fromSettings(Map.of(Access.ADMIN_KEY_SETTING, ADMIN_KEY)::get, keys);

    @Test
    void the_admin_key_opens_every_route_in_any_header_spelling_or_as_a_bearer_token() {
        for (Request request : new Request[] {new Request(Map.of("x-functions-key", ADMIN_KEY), Map.of()),
                new Request(Map.of("X-Functions-Key", ADMIN_KEY), Map.of()),
                new Request(Map.of("authorization", "Bearer " + ADMIN_KEY), Map.of()),
                new Request(Map.of(), Map.of("code", ADMIN_KEY))}) {
            assertThat(access.caller(request)).isInstanceOf(Access.Admin.class);
            access.requireAdmin(request);
            access.requireAccount(request, "any-account");
        }
    }

    @Test
    void an_account_key_opens_its_own_account_only() {
        String key = keys.issue("acme").key().text();
        Request request = new Request(Map.of("AUTHORIZATION", "bearer " + key), Map.of());

        access.requireAccount(request, "acme");
        assertThatThrownBy(() -> access.requireAccount(request, "acme-other")).isInstanceOf(NotFound.class)
                .hasMessage("account acme-other not found");
        assertThatThrownBy(() -> access.requireAdmin(request)).isInstanceOf(Forbidden.class)
                .hasMessage(Access.ADMIN_ONLY);
    }

    @Test
    void any_other_credential_is_refused_alike() {
        String key = keys.issue("acme").key().text();
        for (Request request : new Request[] {new Request(Map.of(), Map.of()),
                new Request(Map.of("x-functions-key", key), Map.of()),
                new Request(Map.of("x-functions-key", ADMIN_KEY + " "), Map.of()),
                new Request(Map.of("x-functions-key", "wrong", "Authorization", "Bearer " + ADMIN_KEY), Map.of()),
                new Request(Map.of("Authorization", key), Map.of()),
                new Request(Map.of("Authorization", "Bearer"), Map.of()),
                new Request(Map.of("Authorization", "Basic " + ADMIN_KEY), Map.of()),
                new Request(Map.of("Authorization", "Bearer " + key + "x"), Map.of())}) {
            assertThatThrownBy(() -> access.caller(request)).as(request.headers().toString())
                    .isInstanceOf(Unauthenticated.class).hasMessage(Unauthenticated.DETAIL);
        }
    }

    @Test
    void without_a_usable_admin_key_nobody_is_admin() {
        String unresolved = "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/admin-key/)";
        for (String setting : new String[] {null, "", "  ", "short", unresolved}) {
            Map<String, String> settings = new HashMap<>();
            settings.put(Access.ADMIN_KEY_SETTING, setting);
            Access unconfigured = Access.fromSettings(settings::get, keys);
            for (String presented : new String[] {unresolved, "short", ADMIN_KEY}) {
                Request request = new Request(Map.of("x-functions-key", presented), Map.of());
                assertThatThrownBy(() -> unconfigured.caller(request)).as(setting + " / " + presented)
                        .isInstanceOf(Unauthenticated.class);
            }
        }
    }

    /** A request as the Java worker hands it over: headers and query as maps, nothing else. */
    private record Request(Map<String, String> headers, Map<String, String> query)
            implements HttpRequestMessage<Optional<String>> {
        @Override
        public URI getUri() {
            return URI.create("https://app.example/api/accounts/acme/sequences");
        }

        @Override
        public HttpMethod getHttpMethod() {
            return HttpMethod.GET;
        }

        @Override
        public Map<String, String> getHeaders() {
            return headers;
        }

        @Override
        public Map<String, String> getQueryParameters() {
            return query;
        }

        @Override
        public Optional<String> getBody() {
            return Optional.empty();
        }

        @Override
        public HttpResponseMessage.Builder createResponseBuilder(HttpStatus status) {
            throw new UnsupportedOperationException("Access never answers; it throws");
        }

        @Override
        public HttpResponseMessage.Builder createResponseBuilder(HttpStatusType status) {
            throw new UnsupportedOperationException("Access never answers; it throws");
        }
    }
}
