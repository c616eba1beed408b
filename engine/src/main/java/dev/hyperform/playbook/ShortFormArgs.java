package dev.hyperform.playbook;

import dev.hyperform.error.Location;
import dev.hyperform.module.ArgSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one-line argument form {@code copy: src=a dest="/tmp/my file" mode=0644}. Words are split on blanks outside
 * quotes and outside {@code ${...}}. For a module with a free-form argument ({@code command: ls -l chdir=/tmp})
 * only {@code name=value} words whose name is one of the module's arguments are arguments; the rest of the text,
 * as written (quotes and line breaks kept), is the free-form argument.
 */
final class ShortFormArgs {
    private static final Pattern PARAM = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(.*)", Pattern.DOTALL);

    private ShortFormArgs() {
    }

    /** A word of the text and where it is. */
    private record Word(String text, int start, int end) {
    }

    static Map<String, Object> parse(String text, String module, ArgSpec spec, Location where) {
        Map<String, Object> args = new LinkedHashMap<>();
        String freeFormArg = spec == null ? null : spec.freeForm();
        StringBuilder free = new StringBuilder();
        int copied = 0;
        for (Word w : words(text, where)) {
            Matcher m = PARAM.matcher(w.text());
            boolean isParam = m.matches() && (freeFormArg == null || spec.find(m.group(1)).isPresent());
            if (!isParam) {
                continue;
            }
            appendPiece(free, text.substring(copied, w.start()));
            copied = w.end();
            if (args.put(m.group(1), unquote(m.group(2))) != null) {
                throw new PlaybookException(where, "module '" + module + "': argument '" + m.group(1)
                        + "' is given twice", "keep one of them");
            }
        }
        appendPiece(free, text.substring(copied));
        String freeText = free.toString().strip();
        if (!freeText.isEmpty()) {
            if (freeFormArg == null) {
                throw new PlaybookException(where, "module '" + module + "' takes no free-form text, but got '"
                        + freeText + "'", "write its arguments as name=value words or as a map (see: hyperform doc "
                        + module + ")");
            }
            args.put(freeFormArg, freeText);
        }
        return args;
    }

    private static void appendPiece(StringBuilder out, String piece) {
        if (piece.isBlank()) {
            return;
        }
        if (out.length() > 0) {
            out.append(' ');
        }
        out.append(out.length() == 0 ? piece.stripTrailing() : piece.strip());
    }

    private static List<Word> words(String text, Location where) {
        List<Word> words = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int start = i;
            char quote = 0;
            int braces = 0;
            while (i < n) {
                char c = text.charAt(i);
                if (quote != 0) {
                    if (c == '\\' && quote == '"' && i + 1 < n) {
                        i++;
                    } else if (c == quote) {
                        quote = 0;
                    }
                } else if (c == '"' || c == '\'') {
                    quote = c;
                } else if (c == '{') {
                    braces++;
                } else if (c == '}' && braces > 0) {
                    braces--;
                } else if (Character.isWhitespace(c) && braces == 0) {
                    break;
                }
                i++;
            }
            if (quote != 0) {
                throw new PlaybookException(where, "unbalanced quote " + quote + " in '" + text + "'",
                        "close the quote, or write the arguments as a map");
            }
            words.add(new Word(text.substring(start, i), start, i));
        }
        return words;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)) {
            String inner = v.substring(1, v.length() - 1);
            return v.charAt(0) == '"' ? inner.replace("\\\"", "\"").replace("\\\\", "\\") : inner;
        }
        return v;
    }
}
