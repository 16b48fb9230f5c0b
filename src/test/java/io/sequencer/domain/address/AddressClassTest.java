package io.sequencer.domain.address;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressClassTest {
    /** Every IPv4 range that is not the internet, with its class: the table the properties draw from. */
    record Range(int prefix, int bits, AddressClass kind) {
        int pick(int random) {
            int mask = bits == 0 ? 0 : -1 << (32 - bits);
            return (prefix & mask) | (random & ~mask);
        }

        boolean contains(int address) {
            int mask = bits == 0 ? 0 : -1 << (32 - bits);
            return (address & mask) == (prefix & mask);
        }
    }

    static final List<Range> IPV4_RANGES = List.of(
            new Range(0x00000000, 8, AddressClass.UNSPECIFIED),
            new Range(0x7f000000, 8, AddressClass.LOOPBACK),
            new Range(0x0a000000, 8, AddressClass.PRIVATE),
            new Range(0xac100000, 12, AddressClass.PRIVATE),
            new Range(0xc0a80000, 16, AddressClass.PRIVATE),
            new Range(0x64400000, 10, AddressClass.SHARED),
            new Range(0xa9fe0000, 16, AddressClass.LINK_LOCAL),
            new Range(0xe0000000, 4, AddressClass.MULTICAST),
            new Range(0xffffffff, 32, AddressClass.BROADCAST),
            new Range(0xf0000000, 4, AddressClass.RESERVED),
            new Range(0xc0000000, 24, AddressClass.RESERVED),
            new Range(0xc0000200, 24, AddressClass.RESERVED),
            new Range(0xc6336400, 24, AddressClass.RESERVED),
            new Range(0xcb007100, 24, AddressClass.RESERVED),
            new Range(0xc6120000, 15, AddressClass.RESERVED));

    @Provide
    Arbitrary<Tuple.Tuple2<Integer, AddressClass>> inSpecialRange() {
        return Arbitraries.of(IPV4_RANGES).flatMap(r -> Arbitraries.integers().map(i -> {
            int address = r.pick(i);
            // 255.255.255.255 lies in 240/4 too; the narrower range names it.
            AddressClass kind = address == 0xffffffff ? AddressClass.BROADCAST : r.kind();
            return Tuple.of(address, kind);
        }));
    }

    @Property(tries = 2000)
    void every_address_in_a_special_ipv4_range_has_that_ranges_class(@ForAll("inSpecialRange") Tuple.Tuple2<Integer, AddressClass> a) {
        assertThat(AddressClass.of(ipv4(a.get1()))).isEqualTo(a.get2());
    }

    @Property(tries = 5000)
    void every_other_ipv4_address_is_public(@ForAll int address) {
        boolean special = IPV4_RANGES.stream().anyMatch(r -> r.contains(address));
        assertThat(AddressClass.of(ipv4(address)) == AddressClass.PUBLIC).isEqualTo(!special);
    }

    @Property(tries = 2000)
    void ipv4_mapped_nat64_and_6to4_forms_carry_the_class_of_their_ipv4_address(@ForAll int address) {
        AddressClass kind = AddressClass.of(ipv4(address));
        byte[] v4 = ipv4(address).getAddress();
        assertThat(AddressClass.of(ipv6(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff}, v4, 12)))
                .isEqualTo(kind);
        assertThat(AddressClass.of(keptIpv6(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff}, v4)))
                .as("an IPv6 object that kept the mapped form").isEqualTo(kind);
        assertThat(AddressClass.of(ipv6(new byte[] {0, 0x64, (byte) 0xff, (byte) 0x9b}, v4, 12))).isEqualTo(kind);
        assertThat(AddressClass.of(ipv6(new byte[] {0x20, 0x02}, v4, 2))).isEqualTo(kind);
    }

    @Property(tries = 2000)
    void ipv4_compatible_forms_are_never_public_and_keep_a_special_class(@ForAll int address) {
        AddressClass kind = AddressClass.of(ipv4(address));
        AddressClass compatible = AddressClass.of(ipv6(new byte[0], ipv4(address).getAddress(), 12));
        assertThat(compatible).isNotEqualTo(AddressClass.PUBLIC);
        if (kind != AddressClass.PUBLIC && Integer.compareUnsigned(address, 1) > 0) {
            assertThat(compatible).isEqualTo(kind);
        }
    }

    @Property(tries = 2000)
    void every_address_in_a_special_ipv6_range_has_that_ranges_class(@ForAll byte[] random,
                                                                     @ForAll("ipv6Ranges") Tuple.Tuple3<byte[], Integer, AddressClass> range) {
        byte[] bytes = new byte[16];
        for (int i = 0; i < 16; i++) {
            bytes[i] = i < random.length ? random[i] : (byte) (i * 37);
        }
        byte[] prefix = range.get1();
        int bits = range.get2();
        for (int bit = 0; bit < bits; bit++) {
            int mask = 0x80 >>> (bit % 8);
            bytes[bit / 8] = (byte) ((prefix[bit / 8] & mask) != 0 ? bytes[bit / 8] | mask : bytes[bit / 8] & ~mask);
        }
        assertThat(AddressClass.of(address(bytes))).isEqualTo(range.get3());
    }

    @Provide
    Arbitrary<Tuple.Tuple3<byte[], Integer, AddressClass>> ipv6Ranges() {
        return Arbitraries.of(
                Tuple.of(hex("fc00"), 7, AddressClass.UNIQUE_LOCAL),
                Tuple.of(hex("fe80"), 10, AddressClass.LINK_LOCAL),
                Tuple.of(hex("fec0"), 10, AddressClass.PRIVATE),
                Tuple.of(hex("ff00"), 8, AddressClass.MULTICAST),
                Tuple.of(hex("20010db8"), 32, AddressClass.RESERVED),
                Tuple.of(hex("20010000"), 32, AddressClass.RESERVED),
                Tuple.of(hex("0064ff9b0001"), 48, AddressClass.PRIVATE),
                Tuple.of(hex("4000"), 2, AddressClass.RESERVED),
                Tuple.of(hex("8000"), 2, AddressClass.RESERVED));
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "127.0.0.1, LOOPBACK", "127.255.255.254, LOOPBACK", "::1, LOOPBACK", "::ffff:127.0.0.1, LOOPBACK",
            "::127.0.0.1, LOOPBACK", "64:ff9b::127.0.0.1, LOOPBACK", "2002:7f00:1::, LOOPBACK",
            "169.254.169.254, LINK_LOCAL", "::ffff:169.254.169.254, LINK_LOCAL", "fe80::1, LINK_LOCAL",
            "febf:ffff::1, LINK_LOCAL",
            "10.0.0.5, PRIVATE", "172.16.0.1, PRIVATE", "172.31.255.255, PRIVATE", "192.168.1.1, PRIVATE",
            "::ffff:10.0.0.5, PRIVATE", "64:ff9b::10.0.0.5, PRIVATE", "64:ff9b:1::1, PRIVATE",
            "100.64.0.1, SHARED", "100.127.255.255, SHARED", "fc00::1, UNIQUE_LOCAL", "fd12:3456::1, UNIQUE_LOCAL",
            "0.0.0.0, UNSPECIFIED", "0.1.2.3, UNSPECIFIED", "::, UNSPECIFIED", "::ffff:0.0.0.0, UNSPECIFIED",
            "224.0.0.1, MULTICAST", "239.255.255.255, MULTICAST", "ff02::1, MULTICAST", "::ffff:224.0.0.1, MULTICAST",
            "255.255.255.255, BROADCAST", "::ffff:255.255.255.255, BROADCAST",
            "240.0.0.1, RESERVED", "192.0.2.1, RESERVED", "2001:db8::1, RESERVED", "100::1, RESERVED",
            "::8.8.8.8, RESERVED",
            "8.8.8.8, PUBLIC", "172.15.255.255, PUBLIC", "172.32.0.0, PUBLIC", "100.63.255.255, PUBLIC",
            "100.128.0.0, PUBLIC", "169.253.255.255, PUBLIC", "11.0.0.0, PUBLIC", "2606:4700::1111, PUBLIC",
            "::ffff:8.8.8.8, PUBLIC", "64:ff9b::8.8.8.8, PUBLIC", "2002:808:808::, PUBLIC"})
    void known_addresses(String literal, AddressClass kind) throws UnknownHostException {
        // Every one a valid literal: Java parses it and asks no resolver.
        assertThat(AddressClass.of(InetAddress.getByName(literal))).isEqualTo(kind);
    }

    @Test
    void an_ipv6_object_carrying_an_ipv4_mapped_address_has_the_class_of_that_ipv4_address() {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};
        assertThat(AddressClass.of(keptIpv6(mapped, new byte[] {127, 0, 0, 1}))).isEqualTo(AddressClass.LOOPBACK);
        assertThat(AddressClass.of(keptIpv6(mapped, new byte[] {(byte) 169, (byte) 254, (byte) 169, (byte) 254})))
                .isEqualTo(AddressClass.LINK_LOCAL);
        assertThat(AddressClass.of(keptIpv6(mapped, new byte[] {8, 8, 8, 8}))).isEqualTo(AddressClass.PUBLIC);
        for (byte[] almostMapped : List.of(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xfe},
                new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xfe, (byte) 0xff})) {
            assertThat(AddressClass.of(keptIpv6(almostMapped, new byte[] {8, 8, 8, 8})))
                    .as("outside 2000::/3, and not a mapped address").isEqualTo(AddressClass.RESERVED);
        }
        byte[] notZeroAhead = {0, 0, 0, 0, 0, 0, 0, 0, 0, 1, (byte) 0xff, (byte) 0xff};
        assertThat(AddressClass.of(keptIpv6(notZeroAhead, new byte[] {127, 0, 0, 1}))).isEqualTo(AddressClass.RESERVED);
    }

    private static InetAddress ipv4(int a) {
        return address(new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a});
    }

    /** {@code head}, zeros, and {@code tail} at {@code at}. */
    private static InetAddress ipv6(byte[] head, byte[] tail, int at) {
        byte[] bytes = new byte[16];
        System.arraycopy(head, 0, bytes, 0, head.length);
        System.arraycopy(tail, 0, bytes, at, tail.length);
        return address(bytes);
    }

    /**
     * {@code head} then {@code v4} in the last four bytes, as an {@link Inet6Address} even when the bytes are an
     * IPv4-mapped address: {@link InetAddress#getByAddress(byte[])} would turn that into an IPv4 object, but other
     * ways of making an address (this one, a resolver's answer) keep the IPv6 form.
     */
    private static InetAddress keptIpv6(byte[] head, byte[] v4) {
        byte[] bytes = new byte[16];
        System.arraycopy(head, 0, bytes, 0, head.length);
        System.arraycopy(v4, 0, bytes, 12, 4);
        try {
            return Inet6Address.getByAddress(null, bytes, -1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hex(String prefix) {
        byte[] out = new byte[16];
        for (int i = 0; i < prefix.length() / 2; i++) {
            out[i] = (byte) Integer.parseInt(prefix.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
