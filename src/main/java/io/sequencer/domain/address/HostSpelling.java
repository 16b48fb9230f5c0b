package io.sequencer.domain.address;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the host of a URL names, read without asking DNS: an IP address however it is spelled, a local name, or a
 * name to resolve. Resolvers and URL parsers disagree about IPv4 spellings: {@code inet_aton} (and so the C
 * resolver and curl) and browsers read {@code 0x7f000001}, {@code 2130706433}, {@code 127.1} and octal
 * {@code 0177.0.0.1} as 127.0.0.1, while Java reads {@code 0177.0.0.1} as 177.0.0.1 and {@code 010.0.0.1} as
 * 10.0.0.1. So a numeric host carries every address a common parser reads it as, and each must be allowed.
 */
public sealed interface HostSpelling {

    /**
     * An IP literal: {@code readings} are the addresses it may stand for, the standard (WHATWG, {@code inet_aton})
     * reading first; the sender connects to that one only.
     */
    record Literal(List<InetAddress> readings) implements HostSpelling {
        public Literal {
            readings = List.copyOf(readings);
            if (readings.isEmpty()) {
                throw new IllegalArgumentException("a literal reads as at least one address");
            }
        }

        /** The address connected to, in the form every parser reads the same way. */
        public InetAddress address() {
            return readings.get(0);
        }
    }

    /** {@code localhost} or a name under it (RFC 6761): this machine, whatever DNS says. */
    record LocalName(String name) implements HostSpelling {}

    /** A name to resolve. */
    record Name(String name) implements HostSpelling {}

    /** Looks like an address but is none (an IPv4 number out of range, an IPv6 zone id, too many parts). */
    record Unusable(String host) implements HostSpelling {}

    /** IPv6 literal characters; a zone id ({@code %eth0}) is refused: it only selects a link-local interface. */
    Pattern IPV6 = Pattern.compile("[0-9a-f:.]+");

    static HostSpelling of(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.contains(":")) {
            return ipv6(h);
        }
        String name = h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
        if (name.isEmpty() || name.contains("..")) {
            return new Unusable(host);
        }
        List<String> parts = List.of(name.split("\\.", -1));
        if (!Ipv4Spelling.isNumber(parts.get(parts.size() - 1))) {
            return name.equals("localhost") || name.endsWith(".localhost") ? new LocalName(name) : new Name(name);
        }
        List<InetAddress> readings = new ArrayList<>();
        Ipv4Spelling.standard(parts).ifPresent(readings::add);
        Ipv4Spelling.decimal(parts).filter(d -> !readings.contains(d)).ifPresent(readings::add);
        return readings.isEmpty() ? new Unusable(host) : new Literal(readings);
    }

    private static HostSpelling ipv6(String h) {
        if (!IPV6.matcher(h).matches()) {
            return new Unusable(h);
        }
        try {
            // In brackets Java's literal parser answers or fails; it never falls back to a DNS lookup.
            return new Literal(List.of(InetAddress.getByName("[" + h + "]")));
        } catch (UnknownHostException notAnAddress) {
            return new Unusable(h);
        }
    }

    /** The readings of a dotted IPv4 spelling of one to four numbers. */
    final class Ipv4Spelling {
        private static final Pattern DIGITS = Pattern.compile("[0-9]+");
        private static final Pattern HEX = Pattern.compile("0x[0-9a-f]*");
        /** Enough digits for any value below 2^32 with leading zeros, few enough to never overflow a long. */
        private static final int MAX_DIGITS = 15;

        private Ipv4Spelling() {}

        /** A host whose last label is a number is an IPv4 address or nothing (the WHATWG URL rule). */
        static boolean isNumber(String label) {
            return DIGITS.matcher(label).matches() || HEX.matcher(label).matches();
        }

        /** The WHATWG and {@code inet_aton} reading: {@code 0x} hex, a leading 0 octal, else decimal. */
        static Optional<InetAddress> standard(List<String> parts) {
            long[] values = new long[parts.size()];
            for (int i = 0; i < parts.size(); i++) {
                String p = parts.get(i);
                long v;
                if (HEX.matcher(p).matches()) {
                    v = p.length() == 2 ? 0 : parse(p.substring(2), 16);
                } else if (DIGITS.matcher(p).matches()) {
                    v = p.length() > 1 && p.startsWith("0") ? parse(p.substring(1), 8) : parse(p, 10);
                } else {
                    return Optional.empty();
                }
                if (v < 0) {
                    return Optional.empty();
                }
                values[i] = v;
            }
            return combine(values);
        }

        /** Java's reading: every part decimal, leading zeros and all; none when a part is hex. */
        static Optional<InetAddress> decimal(List<String> parts) {
            long[] values = new long[parts.size()];
            for (int i = 0; i < parts.size(); i++) {
                if (!DIGITS.matcher(parts.get(i)).matches()) {
                    return Optional.empty();
                }
                values[i] = parse(parts.get(i), 10);
                if (values[i] < 0) {
                    return Optional.empty();
                }
            }
            return combine(values);
        }

        /** a.b.c.d; a.b.c with c 16 bits; a.b with b 24 bits; a alone 32 bits. */
        private static Optional<InetAddress> combine(long[] values) {
            int n = values.length;
            if (n < 1 || n > 4) {
                return Optional.empty();
            }
            long address = 0;
            for (int i = 0; i < n - 1; i++) {
                if (values[i] > 255) {
                    return Optional.empty();
                }
                address |= values[i] << (8 * (3 - i));
            }
            long last = values[n - 1];
            if (last >= 1L << (8 * (5 - n))) {
                return Optional.empty();
            }
            address |= last;
            byte[] bytes = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
            try {
                return Optional.of(InetAddress.getByAddress(bytes));
            } catch (UnknownHostException impossible) {
                throw new IllegalStateException(impossible);
            }
        }

        /** The value of {@code digits} in {@code radix}, or -1 when they are not digits of it or too many. */
        private static long parse(String digits, int radix) {
            if (digits.isEmpty()) {
                return 0;
            }
            if (digits.length() > MAX_DIGITS) {
                return -1;
            }
            try {
                return Long.parseLong(digits, radix);
            } catch (NumberFormatException notInRadix) {
                return -1;
            }
        }
    }
}
