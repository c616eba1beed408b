package dev.hyperform.transport;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The one place where argument vectors become POSIX shell text. Every value a user gives goes through
 * {@link #quote(String)}: it arrives at the target literally, whatever quotes, semicolons, {@code $(...)},
 * backticks, newlines, globs or leading dashes it holds.
 */
public final class Shell {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private Shell() {
    }

    /** Quote one word so that {@code sh} reads it back unchanged. */
    public static String quote(String word) {
        if (word.isEmpty()) {
            return "''";
        }
        if (SAFE.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\"'\"'") + "'";
    }

    /** Quote every word and join them with single spaces: a command line {@code sh} splits back into argv. */
    public static String join(List<String> argv) {
        StringBuilder s = new StringBuilder();
        for (String word : argv) {
            if (s.length() > 0) {
                s.append(' ');
            }
            s.append(quote(word));
        }
        return s.toString();
    }
}
