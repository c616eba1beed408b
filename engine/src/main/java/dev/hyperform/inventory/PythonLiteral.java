package dev.hyperform.inventory;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * INI inventory values the way Ansible reads them: a Python literal when the text is one (numbers, quoted
 * strings, True/False/None, lists, tuples, dicts of literals), otherwise the text itself.
 */
final class PythonLiteral {
    // Python 3 number literals (ast.literal_eval): decimal without leading zeros, 0x/0o/0b with optional
    // underscores between digits, floats with . and exponent; one leading sign
    private static final Pattern DECIMAL = Pattern.compile("[1-9](_?\\d)*|0(_?0)*");
    private static final Pattern RADIX = Pattern.compile(
            "0([xX](_?[0-9a-fA-F])+|[oO](_?[0-7])+|[bB](_?[01])+)");
    private static final String DIGITS = "\\d(_?\\d)*";
    private static final Pattern FLOAT = Pattern.compile(
            "((" + DIGITS + ")?\\.(" + DIGITS + ")|(" + DIGITS + ")\\.?)([eE][-+]?" + DIGITS + ")?");

    private final String s;
    private int i;

    private PythonLiteral(String s) {
        this.s = s;
    }

    static Object parse(String text) {
        PythonLiteral p = new PythonLiteral(text.strip());
        try {
            Object v = p.value();
            p.skipSpace();
            return p.i == p.s.length() ? v : text;
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    private Object value() {
        skipSpace();
        if (i >= s.length()) {
            throw new IllegalArgumentException("empty");
        }
        char c = s.charAt(i);
        if (c == '[' || c == '(') {
            return sequence(c == '[' ? ']' : ')');
        }
        if (c == '{') {
            return dict();
        }
        if (c == '\'' || c == '"') {
            return string();
        }
        return atom();
    }

    private List<Object> sequence(char close) {
        i++;
        List<Object> out = new ArrayList<>();
        skipSpace();
        while (i < s.length() && s.charAt(i) != close) {
            out.add(value());
            skipSpace();
            if (i < s.length() && s.charAt(i) == ',') {
                i++;
                skipSpace();
            } else if (i < s.length() && s.charAt(i) != close) {
                throw new IllegalArgumentException("expected ,");
            }
        }
        expect(close);
        return out;
    }

    private Map<Object, Object> dict() {
        i++;
        Map<Object, Object> out = new LinkedHashMap<>();
        skipSpace();
        while (i < s.length() && s.charAt(i) != '}') {
            Object k = value();
            skipSpace();
            expect(':');
            Object v = value();
            out.put(k, v);
            skipSpace();
            if (i < s.length() && s.charAt(i) == ',') {
                i++;
                skipSpace();
            }
        }
        expect('}');
        return out;
    }

    /** One string literal, or several written side by side ('a' "b" is "ab", as Python joins them). */
    private String string() {
        StringBuilder b = new StringBuilder();
        do {
            quoted(b);
            skipSpace();
        } while (i < s.length() && (s.charAt(i) == '\'' || s.charAt(i) == '"'));
        return b.toString();
    }

    private void quoted(StringBuilder b) {
        char q = s.charAt(i++);
        while (i < s.length() && s.charAt(i) != q) {
            char c = s.charAt(i++);
            if (c == '\\' && i < s.length()) {
                escape(b, s.charAt(i++));
            } else {
                b.append(c);
            }
        }
        expect(q);
    }

    /** Python's escapes; an unknown one keeps its backslash ('\\d' is backslash, d). */
    private void escape(StringBuilder b, char n) {
        switch (n) {
            case 'n' -> b.append('\n');
            case 't' -> b.append('\t');
            case 'r' -> b.append('\r');
            case 'a' -> b.append('\u0007');
            case 'b' -> b.append('\b');
            case 'f' -> b.append('\f');
            case 'v' -> b.append('\u000b');
            case '\\', '\'', '"' -> b.append(n);
            case '\n' -> { }
            case 'x' -> b.appendCodePoint(hex(2));
            case 'u' -> b.appendCodePoint(hex(4));
            case 'U' -> b.appendCodePoint(hex(8));
            default -> {
                if (n >= '0' && n <= '7') {
                    int v = n - '0';
                    for (int k = 0; k < 2 && i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '7'; k++) {
                        v = v * 8 + (s.charAt(i++) - '0');
                    }
                    b.append((char) v);
                } else {
                    b.append('\\').append(n);
                }
            }
        }
    }

    private int hex(int digits) {
        if (i + digits > s.length()) {
            throw new IllegalArgumentException("truncated escape");
        }
        int v = Integer.parseUnsignedInt(s.substring(i, i + digits), 16);
        i += digits;
        return v;
    }

    private Object atom() {
        int start = i;
        while (i < s.length() && ",:]})".indexOf(s.charAt(i)) < 0 && !Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        String t = s.substring(start, i);
        switch (t) {
            case "True":
                return Boolean.TRUE;
            case "False":
                return Boolean.FALSE;
            case "None":
                return null;
            default:
                break;
        }
        return number(t);
    }

    private static Object number(String text) {
        boolean negative = text.startsWith("-");
        String t = text.startsWith("-") || text.startsWith("+") ? text.substring(1) : text;
        BigInteger n = null;
        if (DECIMAL.matcher(t).matches()) {
            n = new BigInteger(t.replace("_", ""));
        } else if (RADIX.matcher(t).matches()) {
            char kind = Character.toLowerCase(t.charAt(1));
            n = new BigInteger(t.substring(2).replace("_", ""), kind == 'x' ? 16 : kind == 'o' ? 8 : 2);
        } else if (FLOAT.matcher(t).matches() && t.matches(".*[.eE].*")) {
            double d = Double.parseDouble(t.replace("_", ""));
            return negative ? -d : d;
        }
        if (n == null) {
            throw new IllegalArgumentException("not a literal");
        }
        n = negative ? n.negate() : n;
        if (n.bitLength() < 32) {
            return n.intValue();
        }
        return n.bitLength() < 64 ? (Object) n.longValue() : n;
    }

    private void expect(char c) {
        if (i >= s.length() || s.charAt(i) != c) {
            throw new IllegalArgumentException("expected " + c);
        }
        i++;
    }

    private void skipSpace() {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
    }
}
