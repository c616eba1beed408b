package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab guests' I/O checker (lab/guest/hf-iocheck.c), compiled with the machine's gcc and run against a file:
 * what it writes it verifies; a corrupted block, a block never written, a lost write and reads past the end are
 * counted; a process stopped for 1.5 s mid-run shows as the longest stall. Its summary line is what lab tests read.
 */
class HfIocheckTest {
    @TempDir
    static Path work;
    private static Path checker;

    @BeforeAll
    static void compile() throws Exception {
        boolean gcc = Files.isExecutable(Path.of("/usr/bin/gcc"));
        if ("true".equals(System.getenv("CI"))) {
            assertTrue(gcc, "/usr/bin/gcc is missing (.ci/run installs gcc and libc6-dev): the checker cannot be built");
        }
        assumeTrue(gcc, "no /usr/bin/gcc: checker tests skipped");
        checker = work.resolve("hf-iocheck");
        Result cc = run(List.of("/usr/bin/gcc", "-O2", "-Wall", "-Werror", "-o", checker.toString(),
                Lab.home().resolve("lab/guest/hf-iocheck.c").toString()));
        assertEquals(0, cc.exit(), "gcc: " + cc.err());
    }

    record Result(int exit, String out, String err) {
        /** The summary line's key=value pairs. */
        Map<String, String> summary() {
            String line = out.lines().filter(l -> l.startsWith("HF-IOCHECK ")).reduce((a, b) -> b)
                    .orElseThrow(() -> new AssertionError("no summary line in: " + out + err));
            Map<String, String> m = new LinkedHashMap<>();
            for (String kv : line.substring("HF-IOCHECK ".length()).split(" ")) {
                m.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
            return m;
        }

        long num(String key) {
            return Long.parseLong(summary().get(key));
        }
    }

    private static Result run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).start();
        return finish(p);
    }

    private static Result finish(Process p) throws IOException, InterruptedException {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "checker did not finish");
        return new Result(p.exitValue(), out, err);
    }

    private static Result check(Path disk, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(checker.toString()));
        cmd.addAll(List.of(args));
        cmd.add(disk.toString());
        return run(cmd);
    }

    private static Path disk(String name, int blocks) throws IOException {
        Path p = work.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(blocks * 4096L);
        }
        return p;
    }

    @Test
    void whatItWritesItVerifiesAndSaysOk() throws Exception {
        Path d = disk("clean.img", 64);
        Result r = check(d, "--passes", "3");
        assertEquals(0, r.exit(), r.out() + r.err());
        Map<String, String> s = r.summary();
        assertEquals("ok", s.get("result"));
        assertEquals(List.of("64", "3", "192", "192", "0", "0"), List.of(s.get("blocks"), s.get("passes"), s.get("writes"),
                s.get("reads"), s.get("errors"), s.get("mismatches")), s.toString());
    }

    /** Each way a block can go wrong between write and verify is one mismatch, and says what it was. */
    @Test
    void aDisturbedBlockIsOneMismatchNamedForWhatHappened() throws Exception {
        record Case(String name, String why, Disturb disturb) {
        }
        List<Case> cases = List.of(
                new Case("one flipped byte", "checksum does not match", f -> {
                    f.seek(5 * 4096 + 100);
                    int b = f.read();
                    f.seek(5 * 4096 + 100);
                    f.write(b ^ 0x01);
                }),
                new Case("a block zeroed", "no block header", f -> {
                    f.seek(5 * 4096);
                    f.write(new byte[4096]);
                }),
                new Case("a block of another offset", "misdirected write", f -> {
                    byte[] b = new byte[4096];
                    f.seek(6 * 4096);
                    f.readFully(b);
                    f.seek(5 * 4096);
                    f.write(b);
                }));
        for (Case c : cases) {
            Path d = disk(c.name().replace(' ', '-') + ".img", 16);
            assertEquals(0, check(d, "--mode", "write", "--seed", "7").exit());
            try (RandomAccessFile f = new RandomAccessFile(d.toFile(), "rw")) {
                c.disturb().apply(f);
            }
            Result r = check(d, "--mode", "verify", "--seed", "7");
            assertEquals(1, r.exit(), c.name());
            assertEquals(1, r.num("mismatches"), c.name() + ": " + r.summary());
            assertEquals(0, r.num("errors"), c.name());
            assertEquals("fail", r.summary().get("result"), c.name());
            assertTrue(r.err().contains("block 5 ") && r.err().contains(c.why()), c.name() + ": " + r.err());
        }
    }

    @Test
    void aLostWriteIsAMismatchAgainstTheNewerPass() throws Exception {
        Path d = disk("lost.img", 8);
        assertEquals(0, check(d, "--mode", "write", "--pass", "0").exit());
        Result r = check(d, "--mode", "verify", "--pass", "1");
        assertEquals(8, r.num("mismatches"), r.summary().toString());
        assertTrue(r.err().contains("older sequence number"), r.err());
    }

    @Test
    void readsThatFailAreCountedAsErrors() throws Exception {
        Path d = disk("short.img", 4);
        assertEquals(0, check(d, "--mode", "write").exit());
        Result r = check(d, "--mode", "verify", "--blocks", "6");
        assertEquals(1, r.exit());
        assertEquals(2, r.num("errors"), r.summary().toString());
        assertEquals(0, r.num("mismatches"));
        assertTrue(r.err().contains("read of block 4 failed"), r.err());
    }

    /** A 1.5 s pause of the process mid-run (as a hung request would be) is the longest stall; without it, none near. */
    @Test
    void aPauseMidRunIsTheLongestStall() throws Exception {
        Path d = disk("stall.img", 64);
        Result calm = check(d, "--duration", "2");
        assertEquals(0, calm.exit(), calm.err());
        assertTrue(calm.num("longest_stall_ms") < 700, "no stall injected: " + calm.summary());

        Process p = new ProcessBuilder(checker.toString(), "--duration", "3", d.toString()).start();
        Thread.sleep(500);
        new ProcessBuilder("kill", "-STOP", Long.toString(p.pid())).start().waitFor();
        Thread.sleep(1500);
        new ProcessBuilder("kill", "-CONT", Long.toString(p.pid())).start().waitFor();
        Result r = finish(p);
        assertEquals(0, r.exit(), r.err());
        long stall = r.num("longest_stall_ms");
        assertTrue(stall >= 1400 && stall < 3000, "stall of ~1500 ms expected: " + r.summary());
        assertEquals(0, r.num("errors"));
        assertEquals(0, r.num("mismatches"));
    }

    @FunctionalInterface
    interface Disturb {
        void apply(RandomAccessFile f) throws IOException;
    }
}
