package dev.hyperform.output;

import java.util.ArrayList;
import java.util.List;

/**
 * A unified diff of two texts (3 lines of context) for {@code --diff}: computed with a longest-common-subsequence
 * table, which is fine for configuration files; very large inputs are summarised instead.
 */
public final class UnifiedDiff {
    private static final int CONTEXT = 3;
    private static final int MAX_LINES = 4000;

    private UnifiedDiff() {
    }

    public static String of(String path, String before, String after) {
        List<String> a = lines(before);
        List<String> b = lines(after);
        StringBuilder out = new StringBuilder();
        out.append("--- before: ").append(path).append(before == null ? " (absent)" : "").append('\n');
        out.append("+++ after: ").append(path).append(after == null ? " (absent)" : "").append('\n');
        if (a.size() > MAX_LINES || b.size() > MAX_LINES) {
            return out.append("@@ ").append(a.size()).append(" -> ").append(b.size()).append(" lines (too large to show) @@\n").toString();
        }
        List<String[]> ops = ops(a, b);
        int i = 0;
        while (i < ops.size()) {
            if (ops.get(i)[0].equals(" ")) {
                i++;
                continue;
            }
            int start = Math.max(0, i - CONTEXT);
            int end = i;
            int lastChange = i;
            while (end < ops.size() && (end - lastChange) <= 2 * CONTEXT) {
                if (!ops.get(end)[0].equals(" ")) {
                    lastChange = end;
                }
                end++;
            }
            end = Math.min(ops.size(), lastChange + CONTEXT + 1);
            int aStart = 1;
            int bStart = 1;
            for (int k = 0; k < start; k++) {
                if (!ops.get(k)[0].equals("+")) {
                    aStart++;
                }
                if (!ops.get(k)[0].equals("-")) {
                    bStart++;
                }
            }
            int aLen = 0;
            int bLen = 0;
            for (int k = start; k < end; k++) {
                if (!ops.get(k)[0].equals("+")) {
                    aLen++;
                }
                if (!ops.get(k)[0].equals("-")) {
                    bLen++;
                }
            }
            out.append("@@ -").append(aLen == 0 ? aStart - 1 : aStart).append(',').append(aLen)
                    .append(" +").append(bLen == 0 ? bStart - 1 : bStart).append(',').append(bLen).append(" @@\n");
            for (int k = start; k < end; k++) {
                out.append(ops.get(k)[0]).append(ops.get(k)[1]).append('\n');
            }
            i = end;
        }
        if (!noFinalNewline(before) && noFinalNewline(after) || noFinalNewline(before) && !noFinalNewline(after)) {
            out.append("\\ No newline at end of file\n");
        }
        return out.toString();
    }

    private static boolean noFinalNewline(String s) {
        return s != null && !s.isEmpty() && !s.endsWith("\n");
    }

    private static List<String> lines(String s) {
        if (s == null || s.isEmpty()) {
            return List.of();
        }
        String[] parts = s.split("\n", -1);
        return List.of(parts).subList(0, s.endsWith("\n") ? parts.length - 1 : parts.length);
    }

    private static List<String[]> ops(List<String> a, List<String> b) {
        int n = a.size();
        int m = b.size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String[]> ops = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < n && j < m) {
            if (a.get(i).equals(b.get(j))) {
                ops.add(new String[] {" ", a.get(i)});
                i++;
                j++;
            } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
                ops.add(new String[] {"-", a.get(i++)});
            } else {
                ops.add(new String[] {"+", b.get(j++)});
            }
        }
        while (i < n) {
            ops.add(new String[] {"-", a.get(i++)});
        }
        while (j < m) {
            ops.add(new String[] {"+", b.get(j++)});
        }
        return ops;
    }
}
