package dev.hyperform.module;

import java.util.Optional;
import java.util.function.UnaryOperator;

/** Levenshtein distance, for "did you mean" hints on misspelt keywords and arguments. */
public final class EditDistance {
    private EditDistance() {
    }

    public static int between(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** The candidate closest to {@code word}, if it is close enough to be a likely typo (distance ≤ max(2, length/3)). */
    public static Optional<String> closest(String word, Iterable<String> candidates) {
        return closest(word, candidates, UnaryOperator.identity());
    }

    /** As {@link #closest(String, Iterable)}, comparing both sides after {@code normalise} (case, separators). */
    public static Optional<String> closest(String word, Iterable<String> candidates, UnaryOperator<String> normalise) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String w = normalise.apply(word);
        for (String c : candidates) {
            int d = between(w, normalise.apply(c));
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return best != null && bestDistance <= Math.max(2, word.length() / 3) ? Optional.of(best) : Optional.empty();
    }
}
