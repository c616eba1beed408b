package dev.hyperform.playbook;

import dev.hyperform.module.EditDistance;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Small questions about loaded YAML values: what to call one in a message, whether it holds an expression. */
final class Values {
    private Values() {
    }

    static String describe(Object v) {
        if (v == null) {
            return "nothing (null)";
        }
        if (v instanceof Map<?, ?>) {
            return "a map";
        }
        if (v instanceof List<?>) {
            return "a list";
        }
        if (v instanceof Boolean) {
            return "the boolean " + v;
        }
        if (v instanceof Number) {
            return "the number " + v;
        }
        return "the text '" + v + "'";
    }

    /** The closest of {@code candidates} to {@code word}, if it is close enough to be a likely typo. */
    static Optional<String> closest(String word, Collection<String> candidates) {
        Optional<String> close = EditDistance.closest(word, candidates, String::toLowerCase);
        if (close.isPresent()) {
            return close;
        }
        if (word.length() >= 3) {
            return candidates.stream().filter(c -> c.startsWith(word)).sorted().findFirst();
        }
        return Optional.empty();
    }

    /** " did you mean 'x'?" or the empty string. */
    static String didYouMean(String word, Collection<String> candidates) {
        return closest(word, candidates).map(c -> "did you mean '" + c + "'? ").orElse("");
    }
}
