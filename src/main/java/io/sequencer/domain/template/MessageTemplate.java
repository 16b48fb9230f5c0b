package io.sequencer.domain.template;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import liqp.Template;
import liqp.TemplateContext;
import liqp.TemplateParser;
import liqp.exceptions.LiquidException;
import liqp.filters.Filter;
import liqp.filters.Filters;
import liqp.nodes.LNode;
import liqp.org.antlr.v4.runtime.ParserRuleContext;
import liqp.org.antlr.v4.runtime.tree.ParseTree;
import liqp.parser.Flavor;
import liqp.tags.Tag;

/**
 * Liquid templates in message strings: checked when a sequence or broadcast is defined, rendered at the send.
 * Values in, text out; no I/O.
 *
 * <p>A string with neither {@code {{} nor {@code {%} is no template and is never parsed. A template sees only the
 * variables of {@link TemplateValues}, copied into maps, lists, text, numbers and booleans, so no Java object's
 * methods or properties are within its reach; an unknown variable renders empty. {@code include} is refused (it
 * would read files). Every render is bounded: loop iterations, the length of each filter's result and of the
 * output, and a time limit checked at every filter call.
 */
public final class MessageTemplate {
    /** Loop iterations in one render, all loops together. */
    static final int MAX_ITERATIONS = 1_000;
    /** Characters of one rendered string, and of any text a filter makes on the way. */
    public static final int MAX_OUTPUT = 20_000;
    /** Elements of any list a filter makes on the way. */
    static final int MAX_LIST = 1_000;
    /**
     * Processor time of one string's render: a backstop behind the limits on iterations and sizes, which bound the
     * work already. Counted on the rendering thread's own processor time, not on the clock on the wall, so a busy
     * machine's waits and collector pauses, which a retry would not cure either, never fail a message.
     */
    public static final Duration RENDER_TIME = Duration.ofSeconds(1);

    static final String ZONE = "sequencer.zone";
    static final String NOW = "sequencer.now";
    private static final String DEADLINE = "sequencer.deadline";

    private static final TemplateParser PARSER = parser();

    static {
        // Loads and links what a render uses once, here, so that the first message's render is not charged for it.
        render("{% for i in (1..2) %}{{ i | plus: 1 | append: 'x' | upcase | truncate: 5 | default: 'y' }}{% endfor %}"
                + "{{ 'now' | date: '%H:%M' }}", new TemplateValues(Map.of(), ZoneOffset.UTC, Instant.EPOCH), Duration.ofMinutes(1));
    }

    private MessageTemplate() {}

    /** True when {@code text} holds Liquid markup: an output {@code {{} or a tag {@code {%}. */
    public static boolean isTemplate(String text) {
        return text.contains("{{") || text.contains("{%");
    }

    /**
     * Parses {@code text} as a template.
     * @throws TemplateFailure for a syntax error (with its position), an unknown tag or filter, or an include
     */
    public static void check(String text) {
        if (isTemplate(text)) {
            parse(text);
        }
    }

    /**
     * {@code message}, a JSON object text, with every string value rendered as a template for {@code values}; the
     * same text when no string in it is a template.
     * @throws TemplateFailure when a render fails or breaks a limit
     */
    public static String renderMessage(String message, TemplateValues values) {
        if (!isTemplate(message)) {
            return message;
        }
        return JsonStrings.mapValues(message, text -> render(text, values, RENDER_TIME));
    }

    /**
     * {@code text} rendered for {@code values} within {@code timeLimit}.
     * @throws TemplateFailure when it is no valid template, or its render fails or breaks a limit
     */
    public static String render(String text, TemplateValues values, Duration timeLimit) {
        if (!isTemplate(text)) {
            return text;
        }
        Template template = parse(text);
        TemplateContext root = new TemplateContext(PARSER, new LinkedHashMap<>());
        root.getEnvironmentMap().put(ZONE, values.zone());
        root.getEnvironmentMap().put(NOW, values.now());
        root.getEnvironmentMap().put(DEADLINE, RenderClock.now() + timeLimit.toNanos());
        try {
            Object rendered = template.renderToObjectUnguarded(plainMap(values.variables()), root, true);
            String out = String.valueOf(rendered);
            if (out.length() > MAX_OUTPUT) {
                throw new TemplateFailure("renders " + out.length() + " characters; at most " + MAX_OUTPUT);
            }
            return out;
        } catch (TemplateFailure failure) {
            throw failure;
        } catch (RuntimeException | StackOverflowError e) {
            throw new TemplateFailure("cannot be rendered: " + reason(e));
        }
    }

    private static Template parse(String text) {
        Template template;
        try {
            template = PARSER.parse(text);
        } catch (LiquidException e) {
            throw new TemplateFailure(firstLine(e.getMessage()).replaceFirst(" on line \\d+, index \\d+$", ""), e.line,
                    e.charPositionInLine + 1);
        } catch (RuntimeException e) {
            throw new TemplateFailure(reason(e));
        }
        checkTree(template.getParseTree());
        return template;
    }

    /**
     * Refuses includes (they read other templates from files; a message has none to read) and filters that do not
     * exist, which liqp itself would find only at the render.
     */
    private static void checkTree(ParseTree tree) {
        String rule = tree.getClass().getSimpleName();
        if (rule.startsWith("Include")) {
            throw new TemplateFailure("include is not allowed in a message");
        }
        if (rule.equals("FilterContext") && tree instanceof ParserRuleContext filter && filter.getChildCount() > 1) {
            String name = filter.getChild(1).getText();
            if (PARSER.filters.get(name) == null) {
                throw new TemplateFailure("unknown filter '" + name + "'", filter.getStart().getLine(),
                        filter.getStart().getCharPositionInLine() + 1);
            }
        }
        for (int i = 0; i < tree.getChildCount(); i++) {
            checkTree(tree.getChild(i));
        }
    }

    private static String reason(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            if (cause instanceof TemplateFailure) {
                break;
            }
            cause = cause.getCause();
        }
        if (cause instanceof TemplateFailure failure) {
            return failure.getMessage();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return firstLine(message);
    }

    private static String firstLine(String message) {
        String line = message == null ? "" : message.lines().findFirst().orElse("");
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    /**
     * The variables as plain values: maps with text keys, lists, text, numbers, booleans and nulls. Anything else
     * becomes its text, so that no Java object's properties can be read from a template.
     */
    static Map<String, Object> plainMap(Map<?, ?> in) {
        Map<String, Object> out = new LinkedHashMap<>();
        in.forEach((key, value) -> out.put(String.valueOf(key), plain(value)));
        return out;
    }

    private static Object plain(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Long
                || value instanceof Integer || value instanceof Double || value instanceof BigDecimal) {
            return value;
        }
        if (value instanceof BigInteger big) {
            return new BigDecimal(big);
        }
        if (value instanceof Map<?, ?> map) {
            return plainMap(map);
        }
        if (value instanceof Collection<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(element -> out.add(plain(element)));
            return out;
        }
        return String.valueOf(value);
    }

    private static TemplateParser parser() {
        TemplateParser.Builder builder = new TemplateParser.Builder()
                .withFlavor(Flavor.LIQUID)
                .withStrictVariables(false)
                .withEvaluateMode(TemplateParser.EvaluateMode.LAZY)
                .withErrorMode(TemplateParser.ErrorMode.STRICT)
                .withMaxIterations(MAX_ITERATIONS)
                .withMaxSizeRenderedString(MAX_OUTPUT)
                .withTag(new Refused("include"))
                .withTag(new Refused("include_relative"));
        Map<String, Filter> filters = new LinkedHashMap<>(Filters.DEFAULT_FILTERS.getMap());
        filters.put("date", new ZonedDate());
        filters.values().forEach(filter -> builder.withFilter(new Bounded(filter)));
        return builder.build();
    }

    /** A tag a message may not use; {@link #check} refuses it already, this holds at render too. */
    private static final class Refused extends Tag {
        Refused(String name) {
            super(name);
        }

        @Override
        public Object render(TemplateContext context, LNode... nodes) {
            throw new TemplateFailure(name + " is not allowed in a message");
        }
    }

    /** A filter whose every call keeps to the render's time limit and whose result keeps to the size limits. */
    private static final class Bounded extends Filter {
        private final Filter inner;

        Bounded(Filter inner) {
            super(inner.name);
            this.inner = inner;
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            Object deadline = context.getEnvironmentMap().get(DEADLINE);
            if (deadline instanceof Long at && RenderClock.now() - at > 0) {
                throw new TemplateFailure("ran past its time limit");
            }
            Object result = inner.apply(value, context, params);
            if (result instanceof CharSequence text && text.length() > MAX_OUTPUT) {
                throw new TemplateFailure("filter " + name + " made " + text.length() + " characters; at most "
                        + MAX_OUTPUT);
            }
            int size = result instanceof Object[] array ? array.length
                    : result instanceof Collection<?> list ? list.size() : 0;
            if (size > MAX_LIST) {
                throw new TemplateFailure("filter " + name + " made a list of " + size + "; at most " + MAX_LIST);
            }
            return result;
        }
    }

    /** The rendering thread's processor time, in nanoseconds; the wall clock where the JVM cannot tell it. */
    private static final class RenderClock {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        private static final boolean CPU_TIME = THREADS.isCurrentThreadCpuTimeSupported();

        static long now() {
            return CPU_TIME ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
        }
    }
}
