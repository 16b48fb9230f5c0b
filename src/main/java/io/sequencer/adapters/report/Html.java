package io.sequencer.adapters.report;

/** Text made safe to put in HTML (and inline SVG) as element content or a quoted attribute value. */
public final class Html {
    private Html() {}

    /**
     * Escapes the five characters that could end text or an attribute, and replaces control characters (which HTML
     * forbids, and which error texts from channels may carry) with U+FFFD.
     */
    public static String text(String raw) {
        if (raw == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(raw.length() + 16);
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c < 0x20 && c != '\n' && c != '\t' || c == 0x7f ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }

    /** {@code raw} cut to {@code max} characters (the last one an ellipsis when cut), for labels with little room. */
    static String shortened(String raw, int max) {
        if (raw.length() <= max) {
            return raw;
        }
        return max <= 1 ? "…" : raw.substring(0, max - 1) + "…";
    }
}
