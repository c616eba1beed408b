package dev.hyperform.inventory;

import dev.hyperform.error.Location;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Ansible host patterns: {@code all}/{@code *}, names, groups, wildcards, {@code ~regex}, unions {@code a:b} or
 * {@code a,b}, intersections {@code a:&b}, exclusions {@code a:!b} (unions first, then intersections, then
 * exclusions, whatever the order written), slices {@code g[0]}, {@code g[1:3]}, {@code g[-1]}, and {@code @file}.
 */
final class HostPattern {
    private static final Pattern SLICE = Pattern.compile("^(.+?)\\[(-?\\d*)(?::(-?\\d*))?\\]$");

    private HostPattern() {
    }

    static List<String> select(String pattern, Inventory inv) {
        if (pattern == null || pattern.isBlank()) {
            throw new InventoryException(Location.UNKNOWN, "empty host pattern", "write hosts: all, a group or a host name");
        }
        List<String> terms = split(pattern.strip());
        Set<String> union = new LinkedHashSet<>();
        List<Set<String>> intersections = new ArrayList<>();
        List<Set<String>> exclusions = new ArrayList<>();
        for (String t : terms) {
            if (t.startsWith("&")) {
                intersections.add(new LinkedHashSet<>(match(t.substring(1), inv, pattern)));
            } else if (t.startsWith("!")) {
                exclusions.add(new LinkedHashSet<>(match(t.substring(1), inv, pattern)));
            } else {
                union.addAll(match(t, inv, pattern));
            }
        }
        List<String> out = new ArrayList<>();
        for (String h : union) {
            if (intersections.stream().allMatch(s -> s.contains(h)) && exclusions.stream().noneMatch(s -> s.contains(h))) {
                out.add(h);
            }
        }
        return out;
    }

    /** Split on ',' when present, else on ':' outside brackets (so slices g[1:3] survive). */
    static List<String> split(String pattern) {
        List<String> out = new ArrayList<>();
        char sep = pattern.contains(",") ? ',' : ':';
        StringBuilder cur = new StringBuilder();
        int depth = 0;
        boolean regex = false;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (cur.length() == 0 && c == '~') {
                regex = true;
            }
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            }
            if (c == sep && depth == 0 && !(regex && sep == ':')) {
                if (cur.length() > 0) {
                    out.add(cur.toString().strip());
                }
                cur.setLength(0);
                regex = false;
            } else {
                cur.append(c);
            }
        }
        if (cur.length() > 0) {
            out.add(cur.toString().strip());
        }
        return out;
    }

    private static List<String> match(String term, Inventory inv, String whole) {
        if (term.isEmpty()) {
            throw new InventoryException(Location.UNKNOWN, "host pattern '" + whole + "' has an empty part",
                    "remove the doubled separator");
        }
        if (term.startsWith("@")) {
            return fromFile(term.substring(1), whole);
        }
        Matcher slice = SLICE.matcher(term);
        if (!term.startsWith("~") && slice.matches()) {
            List<String> base = match(slice.group(1), inv, whole);
            return slice(base, slice.group(2), slice.group(3), whole);
        }
        if (term.equals("all") || term.equals("*")) {
            return inv.hostNames();
        }
        if (term.startsWith("~")) {
            Pattern re;
            try {
                re = Pattern.compile(term.substring(1));
            } catch (PatternSyntaxException e) {
                throw new InventoryException(Location.UNKNOWN, "host pattern '" + whole + "': bad regular expression: "
                        + e.getDescription(), "write ~web0[12] (a Java regular expression matched from the start)");
            }
            return byName(inv, n -> re.matcher(n).lookingAt());
        }
        if (term.contains("*") || term.contains("?")) {
            Pattern glob = Pattern.compile(globToRegex(term));
            return byName(inv, n -> glob.matcher(n).matches());
        }
        List<String> group = inv.groups().get(term);
        if (group != null) {
            return group;
        }
        if (inv.hostNames().contains(term) || term.equals("localhost") || term.equals("127.0.0.1")) {
            return List.of(term);
        }
        return List.of();
    }

    private static List<String> byName(Inventory inv, java.util.function.Predicate<String> p) {
        Set<String> out = new LinkedHashSet<>();
        for (String g : inv.groups().keySet()) {
            if (p.test(g)) {
                out.addAll(inv.groups().get(g));
            }
        }
        for (String h : inv.hostNames()) {
            if (p.test(h)) {
                out.add(h);
            }
        }
        return new ArrayList<>(out);
    }

    private static List<String> slice(List<String> base, String from, String to, String whole) {
        try {
            int n = base.size();
            if (to == null) {
                int i = Integer.parseInt(from);
                i = i < 0 ? n + i : i;
                return i >= 0 && i < n ? List.of(base.get(i)) : List.of();
            }
            int a = from.isEmpty() ? 0 : Integer.parseInt(from);
            int b = to.isEmpty() ? n - 1 : Integer.parseInt(to);
            a = a < 0 ? n + a : a;
            b = b < 0 ? n + b : b;
            List<String> out = new ArrayList<>();
            for (int i = Math.max(0, a); i <= Math.min(n - 1, b); i++) {
                out.add(base.get(i));
            }
            return out;
        } catch (NumberFormatException e) {
            throw new InventoryException(Location.UNKNOWN, "host pattern '" + whole + "': bad slice", "write g[0], g[1:3] or g[-1]");
        }
    }

    private static List<String> fromFile(String file, String whole) {
        try {
            return Files.readAllLines(Path.of(file)).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        } catch (IOException e) {
            throw new InventoryException(Location.UNKNOWN, "host pattern '" + whole + "': cannot read " + file,
                    "@FILE lists one host per line (a .retry file)");
        }
    }

    private static String globToRegex(String glob) {
        StringBuilder s = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> s.append(".*");
                case '?' -> s.append('.');
                default -> s.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return s.toString();
    }
}
