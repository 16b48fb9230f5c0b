package io.sequencer.adapters.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.channel.messenger.MessengerChannel;
import io.sequencer.channel.messenger.MessengerConfig;
import io.sequencer.channel.sendgrid.SendGridChannel;
import io.sequencer.channel.sendgrid.SendGridConfig;
import io.sequencer.channel.webhook.WebhookChannel;
import io.sequencer.channel.webhook.WebhookConfig;
import io.sequencer.domain.address.DestinationPolicy;
import io.sequencer.domain.enrollment.DeliveryId;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.notification.Notice;
import io.sequencer.domain.notification.NoticeType;
import io.sequencer.domain.notification.NotificationSettings;
import io.sequencer.engine.send.AddressGuard;
import io.sequencer.engine.send.Delivery;
import io.sequencer.engine.send.SendResult;
import io.sequencer.testing.ScriptedResolver;
import io.sequencer.testing.SteppingClock;
import io.sequencer.testing.TestAppSettings;
import java.net.InetAddress;
import java.net.URI;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The guard where connections are made: a receiver on 127.0.0.2 stands for any address inside the platform. With
 * loopback not allowed, nothing may reach it, however its address is spelled or whatever DNS says after the URL
 * was checked; with loopback allowed, the same sends arrive (so the zero counts below are not a dead server).
 */
class ConnectTimeAddressCheckTest {
    private final SteppingClock clock = SteppingClock.at("2026-03-01T09:00:00Z");
    private final MockWebServer inside = new MockWebServer();
    private final ScriptedResolver dns = new ScriptedResolver();
    private final EnrollmentKey key = new EnrollmentKey("intruder", "scan", "s1");
    private final Delivery delivery = new Delivery(new DeliveryId("dlv_00112233445566778899aabbccddeeff"), key, "one",
            "{\"text\":\"hi\"}", Instant.parse("2026-03-01T08:59:58Z"), 1);
    private int port;

    @BeforeEach
    void start() throws Exception {
        inside.start(InetAddress.getByName("127.0.0.2"), 0);
        port = inside.getPort();
        for (int i = 0; i < 4; i++) {
            inside.enqueue(new MockResponse.Builder().code(204).build());
        }
    }

    @AfterEach
    void stop() {
        inside.close();
    }

    private static AddressGuard guard(boolean allowLoopback, ScriptedResolver dns) {
        return new AddressGuard(new DestinationPolicy(allowLoopback, false), dns);
    }

    private SendResult webhook(AddressGuard guard, String url) {
        return new WebhookChannel(HttpClients.shared(guard), name -> null, clock)
                .send(new WebhookConfig(URI.create(url), Optional.empty()), delivery);
    }

    private SendResult notification(AddressGuard guard, String url) {
        Instant at = clock.instant();
        NotificationSettings target = new NotificationSettings("intruder", URI.create(url), Optional.empty(),
                EnumSet.allOf(NoticeType.class), at, at, Optional.empty(), Optional.empty(), Optional.empty());
        Notice notice = new Notice(1, Notice.eventIdOf(key, 1), NoticeType.ENROLLMENT_STARTED, at, 1, Optional.empty(),
                Optional.empty(), Optional.empty());
        return new NotificationWebhook(HttpClients.shared(guard), name -> null, clock)
                .send(target, List.of(Map.entry(key, notice)));
    }

    private static void assertRefused(SendResult result, String what) {
        assertThat(result).isEqualTo(new SendResult.PermanentFailure(what + " address not allowed"));
    }

    @Test
    void a_name_that_rebinds_to_loopback_after_the_check_is_refused_and_nothing_is_sent() throws Exception {
        dns.answer("rebind.example.com", "93.184.216.34");
        AddressGuard guard = guard(false, dns);
        String url = "http://rebind.example.com:" + port + "/hook";
        guard.requireAllowed("channel.url", URI.create(url));

        dns.answer("rebind.example.com", "127.0.0.2");
        assertRefused(webhook(guard, url), "webhook");
        assertRefused(notification(guard, url), "notification url");
        assertThat(inside.getRequestCount()).isZero();
        assertThat(dns.asked()).containsOnly("rebind.example.com");
    }

    @Test
    void the_connection_goes_to_the_addresses_the_check_saw() {
        dns.answer("rebind.example.com", "127.0.0.2");
        AddressGuard local = guard(true, dns);
        assertThat(webhook(local, "http://rebind.example.com:" + port + "/hook")).isInstanceOf(SendResult.Sent.class);
        assertThat(inside.getRequestCount()).isEqualTo(1);
    }

    @Test
    void ip_literals_are_checked_though_no_name_is_resolved() {
        AddressGuard guard = guard(false, dns);
        for (String host : List.of("127.0.0.2", "0x7f000002", "2130706434", "127.2", "0177.0.0.2", "[::ffff:127.0.0.2]",
                "localhost")) {
            assertRefused(webhook(guard, "http://" + host + ":" + port + "/hook"), "webhook");
            assertRefused(notification(guard, "http://" + host + ":" + port + "/notices"), "notification url");
        }
        assertThat(inside.getRequestCount()).isZero();
        assertThat(dns.asked()).isEmpty();
    }

    @Test
    void a_hex_spelling_goes_to_the_address_it_spells() {
        // OkHttp takes 0x7f000002 for a name; the guard reads it and sends to 127.0.0.2 spelled plainly.
        assertThat(webhook(guard(true, dns), "http://0x7f000002:" + port + "/hook")).isInstanceOf(SendResult.Sent.class);
        assertThat(webhook(guard(true, dns), "http://2130706434:" + port + "/hook")).isInstanceOf(SendResult.Sent.class);
        assertThat(inside.getRequestCount()).isEqualTo(2);
        assertThat(dns.asked()).isEmpty();
    }

    @Test
    void the_graph_and_sendgrid_bases_are_guarded_too() {
        AddressGuard guard = guard(false, dns);
        String base = "http://127.0.0.2:" + port + "/";
        Delivery withProfile = new Delivery(delivery.deliveryId(), key, "one", "{\"text\":\"hi\"}", delivery.dueAt(), 1,
                Optional.empty(), Optional.of("ada@example.com"));
        var settings = TestAppSettings.of("SEQ_INTRUDER__PAGE_TOKEN", "token",
                "SEQ_INTRUDER__SG_KEY", "SG.key");
        assertRefused(new MessengerChannel(HttpClients.shared(guard), settings::get, base, clock)
                .send(new MessengerConfig("1234", "SEQ_INTRUDER__PAGE_TOKEN", "21.0"), withProfile), "graph api");
        assertRefused(new SendGridChannel(HttpClients.shared(guard), settings::get, base, clock)
                .send(new SendGridConfig("SEQ_INTRUDER__SG_KEY", "news@example.com", Optional.empty()), withProfile),
                "sendgrid");
        assertThat(inside.getRequestCount()).isZero();
    }

    @Test
    void on_azure_a_plain_http_url_is_not_sent() {
        dns.answer("hooks.example.com", "127.0.0.2");
        AddressGuard azure = new AddressGuard(new DestinationPolicy(true, true), dns);
        assertRefused(webhook(azure, "http://hooks.example.com:" + port + "/hook"), "webhook");
        assertThat(inside.getRequestCount()).isZero();
    }
}
