package dev.hyperform.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default journal folder keeps a playbook's newest journals and every journal that can still be resumed. */
class JournalPrunerTest {

    private enum Ending { CLEAN, FAILED, INTERRUPTED, NONE }

    private static void journal(Path dir, String name, Ending ending) throws Exception {
        Path pb = dir.resolve("site.yaml");
        if (!Files.exists(pb)) {
            Files.writeString(pb, "- hosts: all\n  tasks: []\n");
        }
        RunJournal j = RunJournal.start(dir.resolve(name), RunFingerprint.of(List.of(pb), List.of("h1,"), null,
                List.of(), List.of(), false, Map.of(), dir.resolve(name)));
        switch (ending) {
            case CLEAN -> j.ended(0, false);
            case FAILED -> j.ended(2, false);
            case INTERRUPTED -> j.ended(130, true);
            case NONE -> { }
        }
    }

    private static String stamp(int i) {
        return "20261128-1200%02d-000".formatted(i);
    }

    @Test
    void oldJournalsOfRunsThatEndedWellGoOthersStay(@TempDir Path dir) throws Exception {
        Ending[] endings = {Ending.FAILED, Ending.CLEAN, Ending.INTERRUPTED, Ending.NONE, Ending.CLEAN, Ending.CLEAN};
        for (int i = 0; i < endings.length; i++) {
            journal(dir, "site-" + stamp(i) + ".jsonl", endings[i]);
        }
        journal(dir, "upgrade-" + stamp(0) + ".jsonl", Ending.CLEAN);
        journal(dir, "site-by-hand.jsonl", Ending.CLEAN);

        assertEquals(1, JournalPruner.prune(dir, "site", 2), "the one clean run among the 4 oldest");

        TreeSet<String> left = new TreeSet<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jsonl")).forEach(left::add);
        }
        assertEquals(new TreeSet<>(List.of(
                "site-" + stamp(0) + ".jsonl", // failed: can be resumed
                "site-" + stamp(2) + ".jsonl", // interrupted
                "site-" + stamp(3) + ".jsonl", // killed before it ended
                "site-" + stamp(5) + ".jsonl", // the newest two stay whatever they say
                "site-" + stamp(4) + ".jsonl",
                "upgrade-" + stamp(0) + ".jsonl", // another playbook's
                "site-by-hand.jsonl")), // not a default name
                left);
        assertEquals(0, JournalPruner.prune(dir, "site", 2), "a second pass finds nothing more");
        assertEquals(0, JournalPruner.prune(dir.resolve("missing"), "site", 2), "no folder yet");
    }
}
