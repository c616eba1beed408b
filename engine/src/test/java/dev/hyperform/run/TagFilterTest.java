package dev.hyperform.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TagFilterTest {

    @ParameterizedTest(name = "--tags [{0}] --skip-tags [{1}], task tags [{2}] -> {3}")
    @CsvSource(delimiter = '|', value = {
            "           |         |              | true",
            "           |         | a            | true",
            "           |         | never        | false",
            "           |         | never,debug  | false",
            "debug      |         | never,debug  | true",
            "never      |         | never        | true",
            "a          |         | b            | false",
            "a          |         | a,b          | true",
            "a          |         | always       | true",
            "a          | always  | always       | false",
            "           | a       | a            | false",
            "           | a       | b            | true",
            "a          | a       | a            | false",
            "tagged     |         |              | false",
            "tagged     |         | x            | true",
            "untagged   |         |              | true",
            "untagged   |         | x            | false",
            "a,b        |         | b            | true",
            "node       |         | node,spdk    | true",
    })
    void ansibleTagRules(String only, String skip, String taskTags, boolean runs) {
        TagFilter f = TagFilter.of(list(only), list(skip));
        assertEquals(runs, f.runs(list(taskTags)));
    }

    private static List<String> list(String s) {
        return s == null || s.isBlank() ? List.of() : List.of(s.split(","));
    }
}
