package dev.hyperform.journal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyperform.error.Failure;
import dev.hyperform.error.HyperformException;
import dev.hyperform.error.Location;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What a journal says: the run it records, the hosts that finished each play, and whether the last run ended well. */
record JournalState(RunFingerprint run, Map<Integer, Set<String>> finishedByPlay, boolean endedCleanly) {
    static final JournalState EMPTY = new JournalState(null, Map.of(), false);

    Set<String> finished(int play) {
        return finishedByPlay.getOrDefault(play, Set.of());
    }

    static JournalState read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new HyperformException(Failure.INVALID_INPUT, Location.UNKNOWN, "cannot read the run journal " + file
                    + ": " + e.getMessage(), "name the journal the interrupted run printed in its last line");
        }
        RunFingerprint run = null;
        Map<Integer, Set<String>> finished = new HashMap<>();
        boolean clean = false;
        for (int i = 0; i < lines.size(); i++) {
            JsonNode line;
            try {
                line = RunJournal.JSON.readTree(lines.get(i));
            } catch (IOException e) {
                if (i == lines.size() - 1) {
                    break; // torn by a kill while it was written: every line before it is whole
                }
                throw bad(file, i + 1, "line is not JSON");
            }
            switch (line.path("type").asText()) {
                case "run" -> {
                    try {
                        run = RunJournal.JSON.treeToValue(line.get("fingerprint"), RunFingerprint.class);
                    } catch (IOException | IllegalArgumentException e) {
                        throw bad(file, i + 1, "the run's fingerprint cannot be read: " + e.getMessage());
                    }
                    clean = false;
                }
                case "finished" -> {
                    Set<String> hosts = finished.computeIfAbsent(line.path("play").asInt(), k -> new HashSet<>());
                    line.path("hosts").forEach(h -> hosts.add(h.asText()));
                }
                case "end" -> clean = line.path("exit_code").asInt(-1) == 0 && !line.path("interrupted").asBoolean();
                default -> throw bad(file, i + 1, "unknown line type '" + line.path("type").asText() + "'");
            }
        }
        if (run == null) {
            throw bad(file, 1, "no run line: this is not a hyperform run journal");
        }
        return new JournalState(run, finished, clean);
    }

    /**
     * Whether the journal's run ended without failure, read from its last line alone (pruning asks this of every old
     * journal at the start of a run: reading the whole file would put that on every run's start-up). A run ended
     * cleanly when its last line is an {@code end} line with exit code 0, not interrupted: a resumed run writes a new
     * run line after the old end line, and a torn last line (killed while it was written) is not a clean end.
     */
    static boolean endedCleanly(Path file) throws IOException {
        String last;
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "r")) {
            long size = f.length();
            int n = (int) Math.min(size, 4096);
            byte[] tail = new byte[n];
            f.seek(size - n);
            f.readFully(tail);
            String text = new String(tail, java.nio.charset.StandardCharsets.UTF_8).stripTrailing();
            last = text.substring(text.lastIndexOf('\n') + 1);
        }
        JsonNode line;
        try {
            line = RunJournal.JSON.readTree(last);
        } catch (IOException torn) {
            return false;
        }
        return line != null && line.path("type").asText().equals("end") && line.path("exit_code").asInt(-1) == 0 && !line.path("interrupted").asBoolean();
    }

    private static HyperformException bad(Path file, int line, String what) {
        return new HyperformException(Failure.INVALID_INPUT, Location.UNKNOWN, "run journal " + file + ":" + line + ": "
                + what, "name the journal the interrupted run printed in its last line");
    }
}
