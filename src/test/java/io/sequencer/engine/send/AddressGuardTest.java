package io.sequencer.engine.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.channel.sendgrid.SendGridConfig;
import io.sequencer.channel.webhook.WebhookConfig;
import io.sequencer.domain.FieldError;
import io.sequencer.domain.Invalid;
import io.sequencer.domain.address.DestinationPolicy;
import io.sequencer.testing.ScriptedResolver;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressGuardTest {
    private final ScriptedResolver dns = new ScriptedResolver()
            .answer("hooks.example.com", "93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946")
            .answer("metadata.example.com", "169.254.169.254")
            .answer("mixed.example.com", "93.184.216.34", "10.0.0.5")
            .answer("inside.example.com", "::ffff:10.0.0.5")
            .answer("loop.example.com", "127.0.0.2")
            .answer("localhost", "127.0.0.1", "::1");
    private final AddressGuard guard = new AddressGuard(new DestinationPolicy(false, false), dns);

    /** Every private address form of issue 19, spelled as a tenant might. */
    static final String[] PRIVATE_HOSTS = {
            "127.0.0.1", "127.0.0.2", "[::1]", "169.254.169.254", "[fe80::1]", "10.0.0.5", "172.16.0.1",
            "192.168.1.1", "100.64.0.1", "[fc00::1]", "[fd12:3456::1]", "0.0.0.0", "[::]", "224.0.0.1", "[ff02::1]",
            "255.255.255.255", "240.0.0.1", "[::ffff:127.0.0.1]", "[::ffff:169.254.169.254]", "[::ffff:10.0.0.5]",
            "[::ffff:a9fe:a9fe]", "[::127.0.0.1]", "[64:ff9b::127.0.0.1]", "[64:ff9b::a9fe:a9fe]",
            "[2002:7f00:1::]", "2130706433", "0x7f000001", "0x7F.1", "0177.0.0.1", "127.1", "127.0.1",
            "0251.0376.0251.0376", "2852039166", "0xa9fea9fe", "012.0.0.5", "167772165", "127.0.0.1.",
            "localhost", "LOCALHOST", "localhost.", "api.localhost", "metadata.example.com", "mixed.example.com",
            "inside.example.com", "loop.example.com", "4294967296", "1.2.3.4.5"};

    @Test
    void every_private_address_form_is_refused_with_the_same_answer() {
        for (String host : PRIVATE_HOSTS) {
            for (String scheme : List.of("http", "https")) {
                URI url = URI.create(scheme + "://" + host + ":8080/hook");
                assertThatThrownBy(() -> guard.requireAllowed("channel.url", url)).as(url.toString())
                        .isInstanceOfSatisfying(Invalid.class, e -> assertThat(e.errors()).containsExactly(
                                new FieldError("channel.url", "must be a public http or https address")));
            }
        }
    }

    @Test
    void a_name_that_does_not_resolve_gets_the_same_answer_as_a_private_one() {
        assertThatThrownBy(() -> guard.requireAllowed("url", URI.create("https://nowhere.example.com/x")))
                .isInstanceOfSatisfying(Invalid.class, e -> assertThat(e.errors()).containsExactly(
                        new FieldError("url", "must be a public http or https address")));
    }

    @Test
    void public_names_and_addresses_pass() throws Exception {
        guard.requireAllowed("url", URI.create("https://hooks.example.com/x"));
        guard.requireAllowed("url", URI.create("http://93.184.216.34:8443/x"));
        guard.requireAllowed("url", URI.create("http://[2606:4700::1111]/x"));
        assertThat(guard.checkedAddresses("hooks.example.com")).hasSize(2);
        // A public address spelled in hex is the address it spells, and that one only.
        assertThat(guard.checkedAddresses("0x5db8d822")).containsExactly(InetAddress.getByName("93.184.216.34"));
    }

    @Test
    void numeric_hosts_and_localhost_never_reach_the_resolver() {
        for (String host : PRIVATE_HOSTS) {
            try {
                guard.checkedAddresses(host.replace("[", "").replace("]", ""));
            } catch (Exception refused) {
                // expected for all of them
            }
        }
        assertThat(dns.asked()).containsOnly("metadata.example.com", "mixed.example.com", "inside.example.com",
                "loop.example.com");
    }

    @Test
    void a_name_with_any_private_address_is_refused_whole() {
        assertThatThrownBy(() -> guard.checkedAddresses("mixed.example.com")).isInstanceOf(AddressRefused.class)
                .hasMessageNotContaining("10.0.0.5").hasMessageNotContaining("93.184");
    }

    @Test
    void loopback_allowed_means_loopback_only() throws Exception {
        AddressGuard local = new AddressGuard(new DestinationPolicy(true, false), dns);
        local.requireAllowed("url", URI.create("http://127.0.0.2:9/x"));
        local.requireAllowed("url", URI.create("http://localhost:9/x"));
        local.requireAllowed("url", URI.create("http://[::1]:9/x"));
        local.requireAllowed("url", URI.create("http://0x7f000001:9/x"));
        assertThat(local.checkedAddresses("loop.example.com")).containsExactly(InetAddress.getByName("127.0.0.2"));
        for (String inside : new String[] {"10.0.0.5", "169.254.169.254", "[fd00::1]", "100.64.0.1", "0.0.0.0",
                "metadata.example.com", "mixed.example.com"}) {
            assertThatThrownBy(() -> local.requireAllowed("url", URI.create("http://" + inside + "/x"))).as(inside)
                    .isInstanceOf(Invalid.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://hooks.example.com/x", "http://93.184.216.34/x"})
    void on_azure_only_https_passes(String url) {
        AddressGuard azure = new AddressGuard(DestinationPolicy.STRICT, dns);
        assertThatThrownBy(() -> azure.requireAllowed("url", URI.create(url)))
                .isInstanceOfSatisfying(Invalid.class, e -> assertThat(e.errors()).containsExactly(
                        new FieldError("url", "must be a public https address")));
        azure.requireAllowed("url", URI.create(url.replace("http:", "https:")));
    }

    @Test
    void a_webhook_channel_is_checked_at_channel_url_and_other_channels_have_no_url() {
        assertThatThrownBy(() -> guard.requireAllowed(new WebhookConfig(URI.create("http://10.0.0.5/x"),
                Optional.empty()))).isInstanceOfSatisfying(Invalid.class,
                e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("channel.url"));
        guard.requireAllowed(new SendGridConfig("SG_KEY", "news@example.com", Optional.empty()));
        assertThat(dns.asked()).isEmpty();
    }
}
