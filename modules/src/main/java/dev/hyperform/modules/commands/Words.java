package dev.hyperform.modules.commands;

import dev.hyperform.error.Location;
import dev.hyperform.module.ModuleException;
import java.util.ArrayList;
import java.util.List;

/** Splits a {@code command:} string into words the way a shell would (quotes, backslashes), without running a shell. */
final class Words {
    private Words() {
    }

    static List<String> split(String text, Location where) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean word = false;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    cur.append(c);
                }
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else if (c == '\\' && i + 1 < text.length() && "\"\\$`".indexOf(text.charAt(i + 1)) >= 0) {
                    cur.append(text.charAt(++i));
                } else {
                    cur.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                word = true;
            } else if (c == '\\' && i + 1 < text.length()) {
                cur.append(text.charAt(++i));
                word = true;
            } else if (Character.isWhitespace(c)) {
                if (word) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    word = false;
                }
            } else {
                cur.append(c);
                word = true;
            }
        }
        if (quote != 0) {
            throw ModuleException.invalidArgs(where, "unclosed " + quote + " quote in command '" + text + "'",
                    "close the quote, or use argv: [..] to give the words one by one");
        }
        if (word) {
            out.add(cur.toString());
        }
        return out;
    }
}
