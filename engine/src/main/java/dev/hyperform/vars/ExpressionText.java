package dev.hyperform.vars;

/**
 * Reading {@code ${...}} in a value: whether a string holds an expression at all, whether it is exactly one
 * expression (so it keeps its type), and the {@code $${} escape for a literal {@code ${}.
 */
final class ExpressionText {
    private ExpressionText() {
    }

    static boolean hasExpression(String s) {
        int i = s.indexOf("${");
        while (i >= 0) {
            if (i == 0 || s.charAt(i - 1) != '$') {
                return true;
            }
            i = s.indexOf("${", i + 2);
        }
        return false;
    }

    /** The inner expression when {@code s} is exactly {@code ${expr}}, else null. */
    static String single(String s) {
        if (!s.startsWith("${") || !s.endsWith("}")) {
            return null;
        }
        int end = closing(s, 2);
        return end == s.length() - 1 ? s.substring(2, end) : null;
    }

    /** Index of the brace closing an expression that starts at {@code from}, honouring nesting and string literals. */
    static int closing(String s, int from) {
        int depth = 1;
        char quote = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /** Index of the parenthesis closing the one at index 0 (string literals honoured), or -1. */
    static int closingParen(String s) {
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /** Turn the escape {@code $${} into FreeMarker text that renders a literal {@code ${}. */
    static String escapeLiterals(String s) {
        return s.contains("$${") ? s.replace("$${", "${r\"${\"}") : s;
    }
}
