package dev.hyperform.playbook;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns an unquoted YAML scalar into a Java value the way Ansible's YAML 1.1 reader (PyYAML) does: yes/no/on/off/
 * true/false are booleans, {@code 0644} is octal, {@code 1_000} is an integer, {@code 1.5} a float, {@code ~} and
 * nothing are null. Everything else, and every quoted scalar, stays text.
 */
final class ScalarResolver {
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(0|[1-9][0-9_]*)");
    private static final Pattern OCTAL = Pattern.compile("[-+]?0[0-7_]+");
    private static final Pattern HEX = Pattern.compile("[-+]?0x[0-9a-fA-F_]+");
    private static final Pattern BINARY = Pattern.compile("[-+]?0b[01_]+");
    private static final Pattern FLOAT = Pattern.compile(
            "[-+]?([0-9][0-9_]*)\\.[0-9_]*([eE][-+][0-9]+)?|[-+]?\\.[0-9_]+([eE][-+][0-9]+)?");
    private static final Pattern INFINITY = Pattern.compile("[-+]?\\.(inf|Inf|INF)");
    private static final Pattern NAN = Pattern.compile("\\.(nan|NaN|NAN)");

    private ScalarResolver() {
    }

    static Object resolvePlain(String text) {
        switch (text) {
            case "", "~", "null", "Null", "NULL" -> {
                return null;
            }
            default -> {
            }
        }
        switch (text.toLowerCase(Locale.ROOT)) {
            case "yes", "true", "on" -> {
                return Boolean.TRUE;
            }
            case "no", "false", "off" -> {
                return Boolean.FALSE;
            }
            default -> {
            }
        }
        char first = text.charAt(0);
        if (!(Character.isDigit(first) || first == '-' || first == '+' || first == '.')) {
            return text;
        }
        if (DECIMAL.matcher(text).matches()) {
            return integer(text, 10, 0);
        }
        if (HEX.matcher(text).matches()) {
            return integer(text, 16, 2);
        }
        if (BINARY.matcher(text).matches()) {
            return integer(text, 2, 2);
        }
        if (OCTAL.matcher(text).matches()) {
            return integer(text, 8, 1);
        }
        if (FLOAT.matcher(text).matches()) {
            return Double.parseDouble(text.replace("_", ""));
        }
        if (INFINITY.matcher(text).matches()) {
            return text.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (NAN.matcher(text).matches()) {
            return Double.NaN;
        }
        return text;
    }

    /** An integer with an optional sign and a radix prefix of {@code prefix} characters after the sign. */
    private static Object integer(String text, int radix, int prefix) {
        String t = text.replace("_", "");
        boolean negative = t.startsWith("-");
        if (t.startsWith("-") || t.startsWith("+")) {
            t = t.substring(1);
        }
        t = t.substring(prefix);
        if (t.isEmpty()) {
            return text;
        }
        java.math.BigInteger v = new java.math.BigInteger(t, radix);
        if (negative) {
            v = v.negate();
        }
        if (v.bitLength() < 32) {
            return v.intValue();
        }
        if (v.bitLength() < 64) {
            return v.longValue();
        }
        return text;
    }
}
