package dev.hyperform.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyperform.error.Failure;
import dev.hyperform.error.HyperformException;
import dev.hyperform.error.Location;
import dev.hyperform.run.RunProgress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The run journal: a JSON-lines file that says which hosts finished which plays (batch by batch), written as the
 * run goes. Each line is appended with one write and forced to disk before the run goes on, so a run that is
 * killed leaves every line before the last whole; a torn last line is ignored when the journal is read. Lines:
 * {@code {"type":"run",...}} (what was asked: {@link RunFingerprint}; one per run, a resumed run appends its own),
 * {@code {"type":"finished","play":N,"play_name":...,"batch":B,"hosts":[...]}} and
 * {@code {"type":"end","exit_code":C,"interrupted":...}}. Format: docs/running.md, "Resuming an interrupted run".
 */
public final class RunJournal implements RunProgress {
    static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final JournalState previous;

    private RunJournal(Path file, JournalState previous) {
        this.file = file;
        this.previous = previous;
    }

    /** A new journal for a run that starts from the beginning. */
    public static RunJournal start(Path file, RunFingerprint run) {
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw cannotWrite(file, e);
        }
        RunJournal j = new RunJournal(file, JournalState.EMPTY);
        j.append(runLine(run, null));
        return j;
    }

    /**
     * Continues the run of {@code file}: refuses (naming what differs) when the playbooks, their files, the
     * inventory, --limit, --tags, --skip-tags, check mode or -e differ from the journal's run.
     */
    public static RunJournal resume(Path file, RunFingerprint now) {
        JournalState state = JournalState.read(file);
        List<String> differences = state.run().differences(now);
        if (!differences.isEmpty()) {
            throw new HyperformException(Failure.INVALID_INPUT, Location.UNKNOWN, "cannot resume the run of journal "
                    + file + ": " + String.join("; ", differences),
                    "resume with the same playbooks, inventory, --limit, --tags and -e as the interrupted run, or start a "
                            + "new run (use --limit to leave out the hosts the journal shows finished)");
        }
        RunJournal j = new RunJournal(file, state);
        if (!state.endedCleanly()) {
            dropTornLine(file);
            j.append(runLine(now, file.toString()));
        }
        return j;
    }

    /** The run in the journal being resumed: what it was asked. */
    public static RunFingerprint fingerprintOf(Path file) {
        return JournalState.read(file).run();
    }

    /** The resumed run had already ended without failure: there is nothing left to do. */
    public boolean nothingLeft() {
        return previous.endedCleanly();
    }

    public Path file() {
        return file;
    }

    @Override
    public Set<String> finished(int play) {
        return previous.finished(play);
    }

    @Override
    public synchronized void finished(int play, String playName, int batch, List<String> hosts) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("type", "finished");
        line.put("at", Instant.now().toString());
        line.put("play", play);
        line.put("play_name", playName);
        line.put("batch", batch);
        line.put("hosts", hosts);
        append(line);
    }

    @Override
    public synchronized void ended(int exitCode, boolean interrupted) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("type", "end");
        line.put("at", Instant.now().toString());
        line.put("exit_code", exitCode);
        line.put("interrupted", interrupted);
        append(line);
    }

    private static Map<String, Object> runLine(RunFingerprint run, String resumes) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("type", "run");
        line.put("version", 1);
        line.put("at", Instant.now().toString());
        line.put("resumes", resumes);
        line.put("fingerprint", run);
        return line;
    }

    /** A run killed while it wrote a line left it without its newline: cut it off before this run appends. */
    private static void dropTornLine(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            byte[] all = Files.readAllBytes(file);
            int end = all.length;
            while (end > 0 && all[end - 1] != '\n') {
                end--;
            }
            if (end < all.length) {
                ch.truncate(end);
                ch.force(true);
            }
        } catch (IOException e) {
            throw cannotWrite(file, e);
        }
    }

    /** One line, one write, then fsync: a kill leaves at most a torn last line, which reading ignores. */
    private synchronized void append(Map<String, Object> line) {
        byte[] bytes;
        try {
            bytes = (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        } catch (IOException e) {
            throw cannotWrite(file, e);
        }
    }

    private static HyperformException cannotWrite(Path file, IOException e) {
        return new HyperformException(Failure.INVALID_INPUT, Location.UNKNOWN, "cannot write the run journal " + file
                + ": " + e.getMessage(), "choose another place with --journal FILE", new UncheckedIOException(e));
    }
}
