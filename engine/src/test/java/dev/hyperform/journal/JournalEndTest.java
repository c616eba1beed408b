package dev.hyperform.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pruning asks every old journal whether its run ended cleanly from its last line alone: the answer must be the one
 * reading the whole journal gives, and a journal that may still be resumed must never look clean.
 */
class JournalEndTest {
    private static final String RUN = "{\"type\":\"run\",\"version\":1,\"at\":\"2026-11-29T12:00:00Z\",\"resumes\":null,"
            + "\"fingerprint\":{\"playbooks\":[\"/p/site.yaml\"],\"inventories\":[\"h1,\"],\"limit\":null,\"tags\":[],"
            + "\"skipTags\":[],\"check\":false,\"extraVars\":{},\"playbookFiles\":{},\"inventoryFiles\":{}}}\n";
    private static final String FINISHED = "{\"type\":\"finished\",\"at\":\"2026-11-29T12:00:01Z\",\"play\":0,"
            + "\"play_name\":\"all\",\"batch\":1,\"hosts\":[\"h1\"]}\n";

    private static String end(int code, boolean interrupted) {
        return "{\"type\":\"end\",\"at\":\"2026-11-29T12:00:02Z\",\"exit_code\":" + code + ",\"interrupted\":"
                + interrupted + "}\n";
    }

    static Stream<Arguments> journals() {
        String wide = FINISHED.replace("[\"h1\"]", "[\"" + "h".repeat(6000) + "\"]");
        return Stream.of(
                Arguments.of("ended with exit code 0", RUN + FINISHED + end(0, false), true, true),
                Arguments.of("ended with a failure", RUN + FINISHED + end(2, false), false, false),
                Arguments.of("interrupted", RUN + end(130, true), false, false),
                Arguments.of("killed before its end line", RUN + FINISHED, false, false),
                Arguments.of("resumed after a clean end, and killed", RUN + end(0, false) + RUN, false, false),
                Arguments.of("resumed and ended cleanly", RUN + end(2, false) + RUN + FINISHED + end(0, false), true,
                        true),
                Arguments.of("a long line before a clean end", RUN + wide + end(0, false), true, true),
                Arguments.of("no newline after the end line", RUN + end(0, false).strip(), true, true),
                // the whole reading takes the torn line as not written; the last line alone keeps the journal
                Arguments.of("a torn line after a clean end", RUN + end(0, false) + "{\"type\":\"ru", true, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("journals")
    void theLastLineSaysWhatTheWholeJournalSays(String what, String text, boolean whole, boolean last,
                                                @TempDir Path dir) throws Exception {
        Path f = dir.resolve("site-20261129-120000-000.jsonl");
        Files.writeString(f, text);
        assertEquals(whole, JournalState.read(f).endedCleanly(), "read whole");
        assertEquals(last, JournalState.endedCleanly(f), "read from the last line");
    }
}
