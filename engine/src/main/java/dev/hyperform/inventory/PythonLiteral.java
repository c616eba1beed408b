package dev.hyperform.inventory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * INI inventory values the way Ansible reads them: a Python literal when the text is one (numbers, quoted
 * strings, True/False/None, lists, tuples, dicts of literals), otherwise the text itself.
 */
final class PythonLiteral {
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

    private String string() {
        char q = s.charAt(i++);
        StringBuilder b = new StringBuilder();
        while (i < s.length() && s.charAt(i) != q) {
            char c = s.charAt(i++);
            if (c == '\\' && i < s.length()) {
                char n = s.charAt(i++);
                b.append(switch (n) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    default -> n;
                });
            } else {
                b.append(c);
            }
        }
        expect(q);
        return b.toString();
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
        if (t.matches("[-+]?\\d+")) {
            try {
                return Integer.parseInt(t);
            } catch (NumberFormatException e) {
                return Long.parseLong(t);
            }
        }
        if (t.matches("[-+]?(\\d+\\.\\d*|\\.\\d+|\\d+)([eE][-+]?\\d+)?")) {
            return Double.parseDouble(t);
        }
        throw new IllegalArgumentException("not a literal");
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
