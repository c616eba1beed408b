package dev.hyperform.inventory;

import dev.hyperform.error.Location;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Host name ranges as Ansible writes them: {@code node[01:10]} (leading zeros kept), {@code db-[a:f]},
 * strides {@code [0:10:2]}; several ranges in one name multiply out.
 */
final class HostRange {
    private static final Pattern RANGE = Pattern.compile("\\[([^\\[\\]:]+):([^\\[\\]:]+)(?::(\\d+))?\\]");

    private HostRange() {
    }

    static List<String> expand(String pattern, Location where) {
        Matcher m = RANGE.matcher(pattern);
        if (!m.find()) {
            return List.of(pattern);
        }
        String head = pattern.substring(0, m.start());
        String tail = pattern.substring(m.end());
        String from = m.group(1);
        String to = m.group(2);
        int stride = m.group(3) == null ? 1 : Integer.parseInt(m.group(3));
        if (stride < 1) {
            throw new InventoryException(where, "host range '" + pattern + "': the stride must be at least 1",
                    "write [01:10:2]");
        }
        List<String> middle = new ArrayList<>();
        if (from.matches("\\d+") && to.matches("\\d+")) {
            long a = Long.parseLong(from);
            long b = Long.parseLong(to);
            if (a > b) {
                throw new InventoryException(where, "host range '" + pattern + "': start " + from + " is after end " + to,
                        "write the smaller number first");
            }
            int width = from.startsWith("0") && from.length() > 1 ? from.length() : 0;
            for (long n = a; n <= b; n += stride) {
                middle.add(width > 0 ? String.format("%0" + width + "d", n) : Long.toString(n));
            }
        } else if (from.matches("[a-zA-Z]") && to.matches("[a-zA-Z]")) {
            char a = from.charAt(0);
            char b = to.charAt(0);
            if (a > b) {
                throw new InventoryException(where, "host range '" + pattern + "': start " + from + " is after end " + to,
                        "write the earlier letter first");
            }
            for (char c = a; c <= b; c += (char) stride) {
                middle.add(String.valueOf(c));
            }
        } else {
            throw new InventoryException(where, "host range '" + pattern + "' is not a range of numbers or letters",
                    "write node[01:10], db-[a:f] or web[0:10:2]");
        }
        List<String> out = new ArrayList<>();
        for (String mid : middle) {
            for (String rest : expand(tail, where)) {
                out.add(head + mid + rest);
            }
        }
        return out;
    }
}
