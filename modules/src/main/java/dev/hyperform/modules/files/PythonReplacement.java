package dev.hyperform.modules.files;

import java.util.regex.Matcher;

/**
 * lineinfile's {@code backrefs}: the line is a Python replacement template, expanded the way Ansible does it
 * ({@code match.expand(line)}): {@code \1}..{@code \99}, {@code \g<1>}, {@code \g<name>}, {@code \n}-style escapes,
 * octal {@code \0}/{@code \012}; an unknown escape of an ASCII letter is an error, any other keeps its backslash.
 * A group that did not take part in the match is empty. {@code $1} is literal text, as in Python.
 */
final class PythonReplacement {
    private PythonReplacement() {
    }

    /** The expanded line; IllegalArgumentException names what is wrong with the template. */
    static String expand(Matcher m, String template) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i++);
            if (c != '\\' || i >= template.length()) {
                out.append(c);
                continue;
            }
            char n = template.charAt(i++);
            if (n == 'g') {
                int close = template.indexOf('>', i);
                if (i >= template.length() || template.charAt(i) != '<' || close < 0) {
                    throw new IllegalArgumentException("missing <name> after \\g");
                }
                String ref = template.substring(i + 1, close);
                i = close + 1;
                out.append(group(m, ref));
            } else if (n == '0' || isOctal(template, i - 1)) {
                int end = i - 1;
                int v = 0;
                while (end < template.length() && end < i + 2 && template.charAt(end) >= '0' && template.charAt(end) <= '7') {
                    v = v * 8 + (template.charAt(end++) - '0');
                }
                out.append((char) v);
                i = end;
            } else if (Character.isDigit(n)) {
                String ref = String.valueOf(n);
                if (i < template.length() && Character.isDigit(template.charAt(i))) {
                    ref += template.charAt(i++);
                }
                out.append(group(m, ref));
            } else {
                switch (n) {
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'r' -> out.append('\r');
                    case 'f' -> out.append('\f');
                    case 'v' -> out.append('\u000b');
                    case 'a' -> out.append('\u0007');
                    case 'b' -> out.append('\b');
                    case '\\' -> out.append('\\');
                    default -> {
                        if (n < 128 && Character.isLetter(n)) {
                            throw new IllegalArgumentException("bad escape \\" + n);
                        }
                        out.append('\\').append(n);
                    }
                }
            }
        }
        return out.toString();
    }

    /** Three octal digits (\012) are a character, as in Python; \1.. \99 are groups. */
    private static boolean isOctal(String t, int at) {
        return at + 2 < t.length() && "01234567".indexOf(t.charAt(at)) >= 0 && "01234567".indexOf(t.charAt(at + 1)) >= 0
                && "01234567".indexOf(t.charAt(at + 2)) >= 0;
    }

    private static String group(Matcher m, String ref) {
        String v;
        try {
            if (!ref.isEmpty() && ref.chars().allMatch(Character::isDigit)) {
                int g = Integer.parseInt(ref);
                if (g > m.groupCount()) {
                    throw new IllegalArgumentException("invalid group reference " + g + " (the regexp has " + m.groupCount() + ")");
                }
                v = m.group(g);
            } else {
                v = m.group(ref);
            }
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("invalid group")) {
                throw e;
            }
            throw new IllegalArgumentException("unknown group name '" + ref + "'");
        }
        return v == null ? "" : v;
    }
}
