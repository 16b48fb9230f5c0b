package io.sequencer.domain.address;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class DestinationPolicyTest {

    @Test
    void only_public_addresses_pass_by_default() throws Exception {
        DestinationPolicy strict = new DestinationPolicy(false, false);
        assertThat(strict.allows(InetAddress.getByName("8.8.8.8"))).isTrue();
        assertThat(strict.allows(InetAddress.getByName("127.0.0.1"))).isFalse();
        assertThat(strict.allows(InetAddress.getByName("::1"))).isFalse();
        assertThat(strict.allows(InetAddress.getByName("10.0.0.5"))).isFalse();
    }

    @Test
    void allowing_loopback_allows_loopback_and_nothing_else_private() throws Exception {
        DestinationPolicy local = new DestinationPolicy(true, false);
        assertThat(local.allows(InetAddress.getByName("127.0.0.2"))).isTrue();
        assertThat(local.allows(InetAddress.getByName("::1"))).isTrue();
        for (String inside : new String[] {"10.0.0.5", "169.254.169.254", "192.168.0.1", "100.64.0.1", "fd00::1",
                "fe80::1", "0.0.0.0", "::"}) {
            assertThat(local.allows(InetAddress.getByName(inside))).as(inside).isFalse();
        }
    }

    @Test
    void https_only_when_required() {
        assertThat(new DestinationPolicy(false, true).allowsScheme("http")).isFalse();
        assertThat(new DestinationPolicy(false, true).allowsScheme("HTTPS")).isTrue();
        assertThat(new DestinationPolicy(false, false).allowsScheme("http")).isTrue();
        assertThat(new DestinationPolicy(false, false).allowsScheme("ftp")).isFalse();
        assertThat(DestinationPolicy.STRICT.refusal()).isEqualTo("must be a public https address");
    }
}
