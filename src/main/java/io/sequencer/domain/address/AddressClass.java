package io.sequencer.domain.address;

import java.net.InetAddress;

/**
 * The kind of network an IP address belongs to, for deciding whether a tenant's URL may lead there. Only
 * {@link #PUBLIC} addresses are on the internet; every other class reaches into the platform (its metadata
 * service, its virtual network, its own host) or nowhere. IPv6 forms that carry an IPv4 address (IPv4-mapped
 * {@code ::ffff:a.b.c.d}, IPv4-compatible {@code ::a.b.c.d}, NAT64 {@code 64:ff9b::a.b.c.d}, 6to4
 * {@code 2002:aabb:ccdd::}) belong to the class of the address they carry, since a stack or gateway may deliver
 * them there.
 */
enum AddressClass {
    PUBLIC,
    /** 127.0.0.0/8 and ::1: this machine. */
    LOOPBACK,
    /** RFC 1918 (10/8, 172.16/12, 192.168/16), local-use NAT64 64:ff9b:1::/48 and deprecated site-local fec0::/10. */
    PRIVATE,
    /** 100.64.0.0/10: carrier-grade NAT, the shared space of a provider's network. */
    SHARED,
    /** 169.254.0.0/16 (the cloud metadata services live here) and fe80::/10. */
    LINK_LOCAL,
    /** fc00::/7. */
    UNIQUE_LOCAL,
    /** 0.0.0.0/8 and ::: "this host" or "this network"; some stacks connect 0.0.0.0 to the local machine. */
    UNSPECIFIED,
    /** 224.0.0.0/4 and ff00::/8. */
    MULTICAST,
    /** 255.255.255.255. */
    BROADCAST,
    /**
     * Never on the public internet: 240.0.0.0/4, IETF protocol assignments 192.0.0.0/24, documentation
     * (192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32), benchmarking 198.18/15, discard-only 100::/64,
     * Teredo 2001::/32 (a tunnel whose far end cannot be checked), deprecated IPv4-compatible forms of public
     * addresses, and all IPv6 outside the global unicast range 2000::/3.
     */
    RESERVED;

    static AddressClass of(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == 4 ? ofIpv4(toInt(bytes, 0)) : ofIpv6(bytes);
    }

    private static AddressClass ofIpv4(int a) {
        if (in(a, 0x00000000, 8)) {
            return UNSPECIFIED;
        }
        if (in(a, 0x7f000000, 8)) {
            return LOOPBACK;
        }
        if (in(a, 0x0a000000, 8) || in(a, 0xac100000, 12) || in(a, 0xc0a80000, 16)) {
            return PRIVATE;
        }
        if (in(a, 0x64400000, 10)) {
            return SHARED;
        }
        if (in(a, 0xa9fe0000, 16)) {
            return LINK_LOCAL;
        }
        if (in(a, 0xe0000000, 4)) {
            return MULTICAST;
        }
        if (a == 0xffffffff) {
            return BROADCAST;
        }
        if (in(a, 0xf0000000, 4) || in(a, 0xc0000000, 24) || in(a, 0xc0000200, 24) || in(a, 0xc6336400, 24)
                || in(a, 0xcb007100, 24) || in(a, 0xc6120000, 15)) {
            return RESERVED;
        }
        return PUBLIC;
    }

    private static AddressClass ofIpv6(byte[] b) {
        if (zeros(b, 0, 12)) {
            int tail = toInt(b, 12);
            if (tail == 0) {
                return UNSPECIFIED;
            }
            if (tail == 1) {
                return LOOPBACK;
            }
            // IPv4-compatible (deprecated, RFC 4291): never routed as such, but a stack may still map it to IPv4.
            AddressClass carried = ofIpv4(tail);
            return carried == PUBLIC ? RESERVED : carried;
        }
        if (zeros(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return ofIpv4(toInt(b, 12));
        }
        int first32 = toInt(b, 0);
        if (first32 == 0x0064ff9b && zeros(b, 4, 8)) {
            return ofIpv4(toInt(b, 12));
        }
        if (first32 == 0x0064ff9b && (b[4] & 0xff) == 0 && (b[5] & 0xff) == 1) {
            return PRIVATE;
        }
        int first16 = first32 >>> 16;
        if (first16 == 0x2002) {
            return ofIpv4(((first32 & 0xffff) << 16) | (toInt(b, 4) >>> 16));
        }
        // Teredo and documentation lie inside 2000::/3, so they are named; discard-only 100::/64 lies outside it and
        // is reserved by the last rule below.
        if (first32 == 0x20010000 || first32 == 0x20010db8) {
            return RESERVED;
        }
        if ((b[0] & 0xfe) == 0xfc) {
            return UNIQUE_LOCAL;
        }
        if ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0x80) {
            return LINK_LOCAL;
        }
        if ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0xc0) {
            return PRIVATE;
        }
        if ((b[0] & 0xff) == 0xff) {
            return MULTICAST;
        }
        return (b[0] & 0xe0) == 0x20 ? PUBLIC : RESERVED;
    }

    /** Whether IPv4 address {@code a} lies in {@code prefix}/{@code bits}. */
    private static boolean in(int a, int prefix, int bits) {
        int mask = -1 << (32 - bits);
        return (a & mask) == (prefix & mask);
    }

    private static boolean zeros(byte[] b, int from, int count) {
        for (int i = from; i < from + count; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static int toInt(byte[] b, int from) {
        return ((b[from] & 0xff) << 24) | ((b[from + 1] & 0xff) << 16) | ((b[from + 2] & 0xff) << 8) | (b[from + 3] & 0xff);
    }
}
