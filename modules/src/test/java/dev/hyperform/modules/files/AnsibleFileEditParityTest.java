package dev.hyperform.modules.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyperform.error.Location;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.Module;
import dev.hyperform.modules.testing.LocalShellTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * lineinfile and blockinfile against ansible-core's own modules on the same inputs: every case runs once through
 * ansible-playbook (local connection, one temp file per case) and once through hyperform's module on a copy of the
 * same file; the resulting file and whether it changed must be the same. Files Ansible already manages are the
 * point: a fleet moving from Ansible must not get second blocks or literal backreferences.
 */
class AnsibleFileEditParityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ANSIBLE = Path.of("/usr/bin/ansible-playbook");

    /** One input: the file before (null: no file) and the module's arguments (path is added). */
    record Case(String name, String module, String before, Map<String, Object> args) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final String ANSIBLE_BLOCK = "head\n# BEGIN ANSIBLE MANAGED BLOCK\nold = 1\n# END ANSIBLE MANAGED BLOCK\ntail\n";

    static List<Case> cases() {
        return List.of(
                li("replace the last match", "a=1\nb=2\na=3\n", "regexp", "^a=", "line", "a=9"),
                li("line already there", "a=1\nb=2\n", "line", "b=2"),
                li("regexp matches the line as it should be", "a=1\nb=2\n", "regexp", "^b=", "line", "b=2"),
                li("append when nothing matches", "a=1\n", "regexp", "^z=", "line", "z=1"),
                li("append to a file without final newline", "a=1", "line", "z=1"),
                li("insertafter the last match", "[x]\nk=1\n[x]\nk=2\n", "line", "n=1", "insertafter", "^\\[x\\]"),
                li("insertafter with firstmatch", "[x]\nk=1\n[x]\nk=2\n", "line", "n=1", "insertafter", "^\\[x\\]", "firstmatch", true),
                li("insertbefore a match", "a=1\nend\n", "line", "n=1", "insertbefore", "^end"),
                li("insertbefore BOF", "a=1\n", "line", "# first", "insertbefore", "BOF"),
                li("absent by regexp", "a=1\nb=2\na=3\n", "regexp", "^a=", "state", "absent"),
                li("absent by line", "a=1\nb=2\n", "line", "b=2", "state", "absent"),
                li("create a missing file", null, "line", "a=1", "create", true),
                li("backrefs \\1", "GRUB=\"quiet\"\n", "regexp", "^GRUB=\"(.*)\"$", "line", "GRUB=\"\\1 iommu=on\"", "backrefs", true),
                li("backrefs \\g<1> before a digit", "x = 5\n", "regexp", "^x = (\\d+)$", "line", "x = \\g<1>0", "backrefs", true),
                li("backrefs \\g<name>", "port: 80\n", "regexp", "^port: (?P<p>\\d+)$", "line", "listen: \\g<p>", "backrefs", true),
                li("backrefs two groups", "k=v\n", "regexp", "^(\\w+)=(\\w+)$", "line", "\\2=\\1", "backrefs", true),
                li("backrefs keeps a literal $1", "s=1\n", "regexp", "^s=(\\d)$", "line", "s=$1\\1", "backrefs", true),
                li("backrefs without a match changes nothing", "a=1\n", "regexp", "^zz(.*)$", "line", "\\1", "backrefs", true),
                li("backrefs already applied", "x = 50\n", "regexp", "^x = (5)0$", "line", "x = \\g<1>0", "backrefs", true),
                bi("new block at EOF with the default marker", "a\n", "block", "k = 1\nl = 2"),
                bi("replaces the block Ansible wrote", ANSIBLE_BLOCK, "block", "new = 2"),
                bi("Ansible's block unchanged", ANSIBLE_BLOCK, "block", "old = 1"),
                bi("removes the block Ansible wrote", ANSIBLE_BLOCK, "state", "absent"),
                bi("empty block removes it", ANSIBLE_BLOCK, "block", ""),
                bi("insertafter the last match", "[s]\nx\n[s]\ny\n", "block", "b = 1", "insertafter", "^\\[s\\]"),
                bi("insertbefore a match", "a\nend\n", "block", "b = 1", "insertbefore", "^end"),
                bi("insertbefore BOF", "a\n", "block", "b = 1", "insertbefore", "BOF"),
                bi("custom marker", "a\n", "block", "b = 1", "marker", "// {mark} mine"),
                bi("custom begin and end words", "a\n", "block", "b = 1", "marker_begin", "START", "marker_end", "STOP"),
                bi("block with a trailing newline", "a\n", "block", "b = 1\n"),
                bi("file without final newline", "a", "block", "b = 1"),
                bi("create a missing file", null, "block", "b = 1", "create", true));
    }

    private static Case li(String name, String before, Object... kv) {
        return new Case("lineinfile: " + name, "lineinfile", before, map(kv));
    }

    private static Case bi(String name, String before, Object... kv) {
        return new Case("blockinfile: " + name, "blockinfile", before, map(kv));
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @TempDir
    static Path dir;
    private static final Map<String, Boolean> ANSIBLE_CHANGED = new HashMap<>();

    /** One ansible-playbook run for every case: files under ansible/, results from the json callback. */
    @BeforeAll
    static void runAnsible() throws Exception {
        boolean installed = Files.isExecutable(ANSIBLE);
        if (!installed && "true".equals(System.getenv("CI"))) {
            fail("ansible-playbook is not installed; CI must install Debian's ansible-core (see .ci/run)");
        }
        Assumptions.assumeTrue(installed, "ansible-playbook not installed: comparison with ansible-core skipped");
        Path side = Files.createDirectories(dir.resolve("ansible"));
        StringBuilder play = new StringBuilder("- hosts: localhost\n  gather_facts: false\n  tasks:\n");
        List<Case> all = cases();
        for (int i = 0; i < all.size(); i++) {
            Case c = all.get(i);
            setUp(side, i, c);
            Map<String, Object> args = new LinkedHashMap<>(c.args());
            args.put("path", side.resolve("case" + i).toString());
            play.append("    - name: case").append(i).append("\n      ").append(c.module()).append(": ")
                    .append(JSON.writeValueAsString(args)).append("\n      register: r").append(i)
                    .append("\n      ignore_errors: true\n");
        }
        // ansible-core has no json stdout callback: the registered results go to a file
        StringBuilder results = new StringBuilder("{");
        for (int i = 0; i < all.size(); i++) {
            results.append(i == 0 ? "" : ", ").append("'case").append(i).append("': (r").append(i)
                    .append(".changed | default(false)) and not (r").append(i).append(".failed | default(false))");
        }
        Path resultFile = dir.resolve("ansible-results.json");
        play.append("    - copy: {dest: ").append(JSON.writeValueAsString(resultFile.toString())).append(", content: \"{{ ")
                .append(results).append("} | to_json }}\"}\n");
        Path book = Files.writeString(dir.resolve("play.yml"), play.toString());
        ProcessBuilder pb = new ProcessBuilder(ANSIBLE.toString(), "-i", "localhost,", "-c", "local",
                "-e", "ansible_python_interpreter=/usr/bin/python3", book.toString());
        pb.environment().put("ANSIBLE_LOCALHOST_WARNING", "false");
        pb.environment().put("ANSIBLE_NOCOLOR", "1");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "ansible-playbook did not finish");
        assertEquals(0, p.exitValue(), out);
        JsonNode changed = JSON.readTree(resultFile.toFile());
        changed.fields().forEachRemaining(e -> ANSIBLE_CHANGED.put(e.getKey(), e.getValue().asBoolean()));
    }

    private static void setUp(Path side, int i, Case c) throws IOException {
        if (c.before() != null) {
            Files.writeString(side.resolve("case" + i), c.before());
        }
    }

    static Stream<Case> table() {
        return cases().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void sameFileAndSameChangedAsAnsible(Case c) throws Exception {
        int i = cases().indexOf(c);
        Path side = Files.createDirectories(dir.resolve("hyperform"));
        setUp(side, i, c);
        Path file = side.resolve("case" + i);
        Module module = c.module().equals("lineinfile") ? new LineInFileModule() : new BlockInFileModule();
        Map<String, Object> raw = new HashMap<>(c.args());
        raw.put("path", file.toString());
        Args args = module.spec().validate(module.name(), raw, Location.UNKNOWN);
        LocalShellTarget target = new LocalShellTarget(side, false);
        Change change = module.plan(target, args);
        if (!change.isNone()) {
            assertTrue(!module.apply(target, args, change).failed(), c.name());
        }
        assertEquals(content(dir.resolve("ansible").resolve("case" + i)), content(file), "file after " + c.name());
        assertEquals(ANSIBLE_CHANGED.get("case" + i), !change.isNone(), "changed after " + c.name());
    }

    private static String content(Path p) throws IOException {
        return Files.exists(p) ? new String(Files.readAllBytes(p), StandardCharsets.UTF_8) : "<no file>";
    }
}
