package io.sequencer.domain.address;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostSpellingTest {

    @ParameterizedTest(name = "{0} reads as {1}")
    @CsvSource({
            "127.0.0.1, 127.0.0.1", "2130706433, 127.0.0.1", "0x7f000001, 127.0.0.1", "0X7F000001, 127.0.0.1",
            "127.1, 127.0.0.1", "127.0.1, 127.0.0.1", "0x7f.1, 127.0.0.1", "0x7f.0.0.0x1, 127.0.0.1",
            "127.0.0.1., 127.0.0.1", "0251.0376.0251.0376, 169.254.169.254", "0xa9fea9fe, 169.254.169.254",
            "2852039166, 169.254.169.254", "10.0.0.5, 10.0.0.5", "0xa.0.0.5, 10.0.0.5", "167772165, 10.0.0.5",
            "0x0, 0.0.0.0", "0, 0.0.0.0", "8.8.8.8, 8.8.8.8", "134744072, 8.8.8.8",
            "[::1], ::1", "[::ffff:127.0.0.1], 127.0.0.1", "[::ffff:7f00:1], 127.0.0.1", "::1, ::1",
            "[64:ff9b::a9fe:a9fe], 64:ff9b::a9fe:a9fe"})
    void ip_literals_in_every_spelling_read_as_their_address(String host, String address) throws Exception {
        InetAddress expected = address(address);
        assertThat(HostSpelling.of(host)).isInstanceOfSatisfying(HostSpelling.Literal.class,
                literal -> assertThat(literal.address()).isEqualTo(expected));
    }

    @Test
    void leading_zeros_stand_for_the_octal_and_the_decimal_reading_both() throws Exception {
        // inet_aton and browsers read octal; Java reads decimal. Both must pass the guard.
        assertThat(HostSpelling.of("0177.0.0.1")).isEqualTo(new HostSpelling.Literal(
                List.of(address("127.0.0.1"), address("177.0.0.1"))));
        assertThat(HostSpelling.of("010.0.0.1")).isEqualTo(new HostSpelling.Literal(
                List.of(address("8.0.0.1"), address("10.0.0.1"))));
        // Not octal at all (8 is no octal digit): only the decimal reading is left.
        assertThat(HostSpelling.of("08.8.8.8")).isEqualTo(new HostSpelling.Literal(List.of(address("8.8.8.8"))));
    }

    @Test
    void a_spelling_every_parser_reads_alike_carries_its_one_reading() throws Exception {
        assertThat(HostSpelling.of("10.0.0.5")).isEqualTo(new HostSpelling.Literal(List.of(address("10.0.0.5"))));
    }

    @Test
    void numbers_are_read_with_up_to_fifteen_digits_and_longer_ones_are_unusable() throws Exception {
        assertThat(HostSpelling.of("0x00000007f000001")).isEqualTo(new HostSpelling.Literal(List.of(address("127.0.0.1"))));
        assertThat(HostSpelling.of("0x000000007f000001")).isInstanceOf(HostSpelling.Unusable.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "LOCALHOST", "localhost.", "api.localhost", "a.b.localhost."})
    void localhost_and_names_under_it_are_local_by_name(String host) {
        assertThat(HostSpelling.of(host)).isInstanceOf(HostSpelling.LocalName.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"hooks.example.com", "example.com.", "localhost.example.com", "1.2.3.4.example",
            "0x7f000001.example", "xn--bcher-kva.example", "notlocalhost", "0xg"})
    void other_names_are_resolved(String host) {
        assertThat(HostSpelling.of(host)).isInstanceOf(HostSpelling.Name.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"4294967296", "256.0.0.1", "1.2.3.4.5", "127.0.0.256", "1.16777216", "0x100000000",
            "example.123", "99999999999999999999", "1..2", ".", "[fe80::1%25eth0]", "[::zz]", "[1:2:3]"})
    void number_shaped_hosts_that_are_no_address_are_unusable(String host) {
        assertThat(HostSpelling.of(host)).isInstanceOf(HostSpelling.Unusable.class);
    }

    @Property(tries = 2000)
    void every_ipv4_address_reads_back_from_its_decimal_hex_and_dotted_spellings(@ForAll int a) throws Exception {
        InetAddress expected = InetAddress.getByAddress(new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a});
        for (String spelling : List.of(Integer.toUnsignedString(a), "0x" + Integer.toHexString(a),
                (a >>> 24) + "." + ((a >>> 16) & 0xff) + "." + (a & 0xffff),
                "0x" + Integer.toHexString(a >>> 24) + "." + (a & 0xffffff),
                expected.getHostAddress())) {
            assertThat(HostSpelling.of(spelling)).as(spelling).isInstanceOfSatisfying(HostSpelling.Literal.class,
                    literal -> assertThat(literal.readings()).contains(expected).first().isEqualTo(expected));
        }
    }

    @Property(tries = 2000)
    void every_ipv4_address_spelled_in_octal_reads_as_it_first(@ForAll int a) throws Exception {
        InetAddress expected = InetAddress.getByAddress(new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a});
        String octal = "0" + Integer.toOctalString(a >>> 24) + ".0" + Integer.toOctalString((a >>> 16) & 0xff)
                + ".0" + Integer.toOctalString((a >>> 8) & 0xff) + ".0" + Integer.toOctalString(a & 0xff);
        assertThat(HostSpelling.of(octal)).isInstanceOfSatisfying(HostSpelling.Literal.class,
                literal -> assertThat(literal.address()).isEqualTo(expected));
    }

    private static InetAddress address(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }
}
