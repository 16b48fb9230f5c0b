package io.sequencer.domain.template;

import java.util.function.UnaryOperator;

/**
 * The string values of a JSON text, each replaced by what {@code render} makes of it; object keys, numbers and the
 * layout stay exactly as they were. The text is a stored message, written by the app's own JSON writer, so it is
 * well-formed; this reads no more of JSON than its string literals.
 */
final class JsonStrings {
    private JsonStrings() {}

    static String mapValues(String json, UnaryOperator<String> render) {
        StringBuilder out = new StringBuilder(json.length() + 64);
        int i = 0;
        while (i < json.length()) {
            char c = json.charAt(i);
            if (c != '"') {
                out.append(c);
                i++;
                continue;
            }
            int end = endOfLiteral(json, i);
            String literal = json.substring(i, end);
            if (isKey(json, end)) {
                out.append(literal);
            } else {
                String value = unescape(literal);
                String rendered = render.apply(value);
                out.append(rendered.equals(value) ? literal : quote(rendered));
            }
            i = end;
        }
        return out.toString();
    }

    /** The index just past the closing quote of the literal opening at {@code start}. */
    private static int endOfLiteral(String json, int start) {
        int i = start + 1;
        while (i < json.length()) {
            char c = json.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == '"') {
                return i + 1;
            } else {
                i++;
            }
        }
        throw new IllegalArgumentException("unterminated string in a stored message");
    }

    private static boolean isKey(String json, int afterLiteral) {
        int i = afterLiteral;
        while (i < json.length() && Character.isWhitespace(json.charAt(i))) {
            i++;
        }
        return i < json.length() && json.charAt(i) == ':';
    }

    private static String unescape(String literal) {
        StringBuilder out = new StringBuilder(literal.length());
        for (int i = 1; i < literal.length() - 1; i++) {
            char c = literal.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = literal.charAt(++i);
            switch (e) {
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    out.append((char) Integer.parseInt(literal.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(e);
            }
        }
        return out.toString();
    }

    static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
