package dev.hyperform.module;

import java.util.Map;

/**
 * What a change does to a file or an object, for {@code --diff}: a path, the text before and after (null when
 * the file does not exist on that side, or when content is not compared) and attribute changes such as
 * {@code mode: 0644 -> 0600}.
 */
public record Diff(String path, String before, String after, Map<String, String[]> attributes) {

    public Diff {
        attributes = Map.copyOf(attributes);
    }

    public static Diff content(String path, String before, String after) {
        return new Diff(path, before, after, Map.of());
    }

    public static Diff attributes(String path, Map<String, String[]> beforeAfter) {
        return new Diff(path, null, null, beforeAfter);
    }

    public boolean hasContent() {
        return before != null || after != null;
    }
}
