package org.sparkcnn.pipeline.config;

import org.sparkcnn.pipeline.error.InvalidConfigException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * JavaCPP's off-heap limits as a JVM receives them: {@code -Dorg.bytedeco.javacpp.maxbytes=...} and
 * {@code -Dorg.bytedeco.javacpp.maxphysicalbytes=...}, read without loading JavaCPP (whose class initialiser
 * loads native libraries and, on a value it cannot parse, fails with an {@code ExceptionInInitializerError}).
 *
 * <p>The syntax is that of {@code org.bytedeco.javacpp.Pointer.parseBytes(String, long)} in JavaCPP 1.5.7: leading
 * ASCII or other Unicode decimal digits (no sign, no fraction, no leading blank), then, after optional blanks and in
 * any case, one of {@code ""} (bytes), {@code k}/{@code kb}, {@code m}/{@code mb}, {@code g}/{@code gb},
 * {@code t}/{@code tb} (powers of 1024) or {@code %}. A percentage is of the JVM's {@code Runtime.maxMemory()},
 * its maximum heap. JavaCPP reads the camel-case property ({@code maxBytes}, {@code maxPhysicalBytes}) in preference
 * to the lower-case one, and the JVM keeps the last {@code -D} of a name. A value of 0 disables the limit (JavaCPP
 * only enforces a positive one); an empty value ({@code -D...maxbytes=} or {@code -D...maxbytes}) means the default.
 *
 * <p>One deliberate difference: where JavaCPP's arithmetic silently overflows a {@code long} (say
 * {@code 99999999999t}) and so runs with a meaningless limit, {@link #parse} refuses the value.
 */
public final class JavaCppSizes {
    public static final String MAX_BYTES = "org.bytedeco.javacpp.maxbytes";
    public static final String MAX_PHYSICAL_BYTES = "org.bytedeco.javacpp.maxphysicalbytes";
    /** What this parser accepts, for error messages. */
    public static final String SYNTAX = "a whole number of bytes optionally followed by k, m, g or t (powers of 1024, "
            + "optionally with b, any case, e.g. 6G, 6g, 6GB, 1024m, 1073741824) or a percentage of the JVM's "
            + "maximum heap (e.g. 50%)";

    private JavaCppSizes() {}

    /**
     * Bytes for {@code string}, exactly as JavaCPP 1.5.7's {@code Pointer.parseBytes(string, relativeMultiple)}
     * computes them, except that overflow is refused.
     *
     * @param relativeMultiple what 100% is: the JVM's maximum heap
     * @throws NumberFormatException when JavaCPP would refuse the value too, or its result would overflow
     */
    public static long parse(String string, long relativeMultiple) {
        int i = 0;
        while (i < string.length() && Character.isDigit(string.charAt(i))) {
            i++;
        }
        long size = Long.parseLong(string.substring(0, i));
        try {
            switch (string.substring(i).trim().toLowerCase(Locale.ROOT)) {
                case "%": return Math.multiplyExact(size, relativeMultiple) / 100;
                case "t": case "tb": return Math.multiplyExact(size, 1L << 40);
                case "g": case "gb": return Math.multiplyExact(size, 1L << 30);
                case "m": case "mb": return Math.multiplyExact(size, 1L << 20);
                case "k": case "kb": return Math.multiplyExact(size, 1L << 10);
                case "": return size;
                default: throw new NumberFormatException("Cannot parse into bytes: " + string);
            }
        } catch (ArithmeticException e) {
            throw new NumberFormatException("Too many bytes for a long: " + string);
        }
    }

    /**
     * The value the JVM started with {@code javaOptions} gives JavaCPP's property {@code lowerCaseName}
     * ({@link #MAX_BYTES} or {@link #MAX_PHYSICAL_BYTES}): its camel-case spelling wins over the lower-case one, the
     * last occurrence of a spelling wins; {@code ""} for {@code -Dname} without a value; null when absent.
     */
    public static String optionValue(String javaOptions, String lowerCaseName) {
        String camel = camelCase(lowerCaseName);
        String lower = null;
        String camelValue = null;
        for (String token : splitJavaOptions(javaOptions == null ? "" : javaOptions)) {
            String v = definition(token, lowerCaseName);
            if (v != null) {
                lower = v;
            }
            v = definition(token, camel);
            if (v != null) {
                camelValue = v;
            }
        }
        return camelValue != null ? camelValue : lower;
    }

    /** The option as it would be written, for messages: {@code -Dorg.bytedeco.javacpp.maxbytes=<value>}. */
    public static String spelled(String javaOptions, String lowerCaseName) {
        String camel = camelCase(lowerCaseName);
        boolean camelUsed = splitJavaOptions(javaOptions == null ? "" : javaOptions).stream()
                .anyMatch(t -> definition(t, camel) != null);
        return "-D" + (camelUsed ? camel : lowerCaseName);
    }

    /**
     * Refuses a JavaCPP size in {@code spark.executor.extraJavaOptions} that JavaCPP cannot parse (the executors
     * would fail to load ND4J) or whose value overflows, naming the option, the value and the syntax.
     */
    public static void validateExecutorOptions(String javaOptions) {
        for (String property : List.of(MAX_BYTES, MAX_PHYSICAL_BYTES)) {
            String value = optionValue(javaOptions, property);
            if (value == null || value.isEmpty()) {
                continue;
            }
            try {
                parse(value, 1L << 30);
            } catch (NumberFormatException e) {
                throw new InvalidConfigException("spark.executor.extraJavaOptions", spelled(javaOptions, property) + "="
                        + value + " is not a size JavaCPP accepts; write " + SYNTAX);
            }
        }
    }

    /**
     * Refuses a JavaCPP size among this JVM's system properties (set through {@code PIPELINE_JAVA_OPTS} or
     * {@code --driver-java-options}) that JavaCPP cannot parse: JavaCPP would fail in its class initialiser, deep in
     * the first ND4J call, with exit 1.
     */
    public static void validateThisJvm() {
        for (String property : List.of(MAX_BYTES, MAX_PHYSICAL_BYTES)) {
            String camel = camelCase(property);
            String value = System.getProperty(camel, System.getProperty(property));
            if (value == null || value.isEmpty()) {
                continue;
            }
            try {
                parse(value, Runtime.getRuntime().maxMemory());
            } catch (NumberFormatException e) {
                String name = System.getProperty(camel) != null ? camel : property;
                throw new org.sparkcnn.pipeline.error.BadInputException("-D" + name + "=" + value + " of this JVM "
                        + "(PIPELINE_JAVA_OPTS or --driver-java-options) is not a size JavaCPP accepts; write " + SYNTAX);
            }
        }
    }

    /** {@code org.bytedeco.javacpp.maxbytes} to {@code org.bytedeco.javacpp.maxBytes}, as JavaCPP also reads. */
    static String camelCase(String lowerCaseName) {
        return switch (lowerCaseName) {
            case MAX_BYTES -> "org.bytedeco.javacpp.maxBytes";
            case MAX_PHYSICAL_BYTES -> "org.bytedeco.javacpp.maxPhysicalBytes";
            default -> lowerCaseName;
        };
    }

    private static String definition(String token, String name) {
        if (token.equals("-D" + name)) {
            return "";
        }
        return token.startsWith("-D" + name + "=") ? token.substring(name.length() + 3) : null;
    }

    /**
     * Splits JVM options as Spark does for {@code extraJavaOptions} ({@code Utils.splitCommandString}): on blanks,
     * with single quotes keeping everything literal, double quotes keeping blanks, and a backslash escaping the next
     * character inside double quotes.
     */
    static List<String> splitJavaOptions(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        boolean single = false;
        boolean dbl = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (single) {
                if (c == '\'') {
                    single = false;
                } else {
                    cur.append(c);
                }
            } else if (dbl) {
                if (c == '"') {
                    dbl = false;
                } else if (c == '\\' && i + 1 < s.length()) {
                    cur.append(s.charAt(++i));
                } else {
                    cur.append(c);
                }
            } else if (c == '\'') {
                single = true;
                inWord = true;
            } else if (c == '"') {
                dbl = true;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
            } else {
                cur.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            out.add(cur.toString());
        }
        return out;
    }
}
