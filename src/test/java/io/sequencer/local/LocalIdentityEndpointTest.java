package io.sequencer.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.testing.Azurite;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The App Service managed-identity protocol as azure-identity speaks it, and the token claims Azurite checks. */
class LocalIdentityEndpointTest {
    private static final String CLIENT_ID = "11111111-2222-4333-8444-555555555555";
    private static final String SECRET = "local-identity-secret";
    private static final String STORAGE = "https://storage.azure.com";

    private final HttpClient http = HttpClient.newHttpClient();
    private String endpoint;
    private LocalIdentityEndpoint served;

    @BeforeEach
    void serve() {
        endpoint = "http://127.0.0.1:" + Azurite.freePort() + "/msi/token";
        served = LocalIdentityEndpoint.start(Map.of(LocalIdentityEndpoint.ENDPOINT_VARIABLE, endpoint,
                LocalIdentityEndpoint.SECRET_VARIABLE, SECRET)::get, CLIENT_ID);
    }

    @AfterEach
    void close() {
        served.close();
    }

    private HttpResponse<String> ask(String clientId, String secret) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint + "?api-version=2019-08-01&resource="
                + STORAGE + (clientId == null ? "" : "&client_id=" + clientId)));
        if (secret != null) {
            request.header("X-IDENTITY-HEADER", secret);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void the_identity_it_holds_gets_a_token_azurite_accepts_for_storage() throws Exception {
        long before = Instant.now().getEpochSecond();
        HttpResponse<String> answer = ask(CLIENT_ID, SECRET);

        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode body = Json.read(answer.body());
        assertThat(body.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.path("client_id").asText()).isEqualTo(CLIENT_ID);
        assertThat(body.path("resource").asText()).isEqualTo(STORAGE);
        JsonNode claims = claims(body.path("access_token").asText());
        // Azurite's basic OAuth: an issuer of a known authority, the storage audience, a lifetime around now.
        assertThat(claims.path("iss").asText()).startsWith("https://sts.windows.net/");
        assertThat(claims.path("aud").asText()).isEqualTo(STORAGE);
        assertThat(claims.path("nbf").asLong()).isBetween(before, before + 60);
        assertThat(claims.path("exp").asLong()).isGreaterThan(claims.path("nbf").asLong());
        assertThat(body.path("expires_on").asText()).isEqualTo(claims.path("exp").asText());
        assertThat(claims.path("appid").asText()).isEqualTo(CLIENT_ID);
        assertThat(served.issued()).isEqualTo(1);
    }

    @Test
    void a_client_id_it_does_not_hold_is_refused_as_app_service_refuses_it() throws Exception {
        HttpResponse<String> answer = ask("99999999-2222-4333-8444-555555555555", SECRET);

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(Json.read(answer.body()).path("message").asText()).isEqualTo(LocalIdentityEndpoint.UNKNOWN_CLIENT_ID);
        assertThat(served.issued()).isZero();
    }

    @Test
    void a_request_without_the_secret_header_gets_no_token() throws Exception {
        assertThat(ask(CLIENT_ID, null).statusCode()).isEqualTo(401);
        assertThat(ask(CLIENT_ID, "another-secret").statusCode()).isEqualTo(401);
        assertThat(served.issued()).isZero();
    }

    private static JsonNode claims(String jwt) {
        String[] parts = jwt.split("\\.", -1);
        assertThat(parts).hasSize(3);
        return Json.read(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    }
}
