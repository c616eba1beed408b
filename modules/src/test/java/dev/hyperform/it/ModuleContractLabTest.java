package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyperform.error.ExitCode;
import dev.hyperform.it.ContractCases.Case;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module contract for every module, through the whole engine: over SSH on a lab host, and over the local
 * connection for the rows that are safe on the controller. One playbook holds every case (each in its own
 * directory); it runs with --check --diff, then for real, then again. Every broken promise is collected and
 * reported at once, naming the case.
 */
@Tag("lab")
class ModuleContractLabTest {
    private static final String CANARY = "/tmp/hf-canary";

    /** Where the cases run: a lab host over SSH, or the controller over the local connection; sh runs there as root. */
    private record Side(String host, String base, boolean overSsh) {
        /** A case's own directory ($DIR). */
        String dir(Case c) {
            return base + "/" + c.index();
        }

        Sh sh(String script) throws IOException, InterruptedException {
            return overSsh ? parse(Lab.ssh(host, "sh -c " + quote(script + "\necho \"__rc=$?\"") + " 2>&1")) : localSh(script);
        }
    }

    record Sh(int rc, String out) {
    }

    @Test
    void everyModuleKeepsTheContractOverSsh(@TempDir Path work) throws Exception {
        Lab.ssh("node1", "apt-get -q update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get -y -q install --no-install-recommends git curl unzip dnf rpm createrepo-c >/dev/null");
        runAll(new Side("node1", "/srv/hfc", true), ContractCases.load(), work, Lab.INVENTORY);
    }

    @Test
    void theSafeModulesKeepTheContractOverTheLocalConnection(@TempDir Path work) throws Exception {
        Path inventory = Lab.write(work, "local.ini", "localhost ansible_connection=local\n");
        runAll(new Side("localhost", work.resolve("target").toString(), false),
                ContractCases.load().stream().filter(Case::local).toList(), work, inventory);
    }

    private static void runAll(Side side, List<Case> cases, Path work, Path inventory) throws Exception {
        List<String> broken = new ArrayList<>();
        side.sh("rm -rf " + quote(side.base()) + " " + CANARY);
        Files.deleteIfExists(Path.of(CANARY));
        StringBuilder play = new StringBuilder("- hosts: " + side.host() + "\n  gather_facts: true\n  tasks:\n");
        for (Case c : cases) {
            Path ctrl = Files.createDirectories(work.resolve("ctrl-" + c.index()));
            for (var f : c.controllerFiles().entrySet()) {
                Path p = ctrl.resolve(f.getKey());
                Files.createDirectories(p.getParent());
                Files.writeString(p, f.getValue());
                if (f.getKey().endsWith(".sh")) {
                    p.toFile().setExecutable(true);
                }
            }
            if (!c.controllerSetup().isEmpty()) {
                expectZero(localSh(vars(c, side, ctrl) + c.controllerSetup()), c, "controller_setup", broken);
            }
            expectZero(side.sh(vars(c, side, ctrl) + "mkdir -p \"$DIR\" && cd \"$DIR\" && { " + orTrue(c.setup()) + "\n}"), c, "setup", broken);
            Map<String, Object> task = new LinkedHashMap<>();
            task.put("name", c.taskName());
            task.putAll(substitute(c.task(), c, side, ctrl));
            task.putIfAbsent("ignore_errors", true); // a broken case shows as "ignored" and the others still run
            String yaml = ContractCases.YAML.writeValueAsString(List.of(task)).replaceFirst("^---\\s*\\n", "");
            play.append(yaml.indent(4));
        }
        Path pb = Lab.write(work, "contract.yaml", play.toString());
        String[] args = {"-i", inventory.toString(), pb.toString()};

        String before = snapshot(side, cases, work);
        Lab.Run check = Lab.play(work, Lab.plus(args, "--check", "--diff"));
        assertEquals(before, snapshot(side, cases, work), "--check changed the target or the controller");
        Lab.Run real = Lab.play(work, args);
        Lab.Run again = Lab.play(work, args);
        for (Lab.Run r : List.of(check, real, again)) {
            assertEquals(ExitCode.OK, r.exitCode(), r.console());
        }
        for (Case c : cases) {
            Path ctrl = work.resolve("ctrl-" + c.index());
            JsonNode checked = one(check, c, side);
            JsonNode applied = one(real, c, side);
            JsonNode second = one(again, c, side);
            expect(c, "check reports", c.expect(), checked.path("status").asText(), broken);
            expect(c, "the real run reports", c.expect(), applied.path("status").asText(), broken);
            expect(c, "the second run reports", c.again(), second.path("status").asText(), broken);
            expect(c, "the real run executes what check planned", commands(checked, "planned"), commands(applied, "run"), broken);
            if (c.diff() && checked.path("diffs").isEmpty()) {
                broken.add(c + ": --check --diff shows no diff");
            }
            if (!c.verify().isEmpty()) {
                expectZero(side.sh(vars(c, side, ctrl) + c.verify()), c, "verify", broken);
            }
            for (var e : c.content().entrySet()) {
                String path = side.dir(c) + "/" + e.getKey();
                Sh b64 = side.sh("base64 -w0 " + quote(path));
                String got = b64.rc() == 0 ? new String(Base64.getDecoder().decode(b64.out().strip()), StandardCharsets.UTF_8) : "<missing>";
                expect(c, "content of " + e.getKey(), ContractCases.hostile(e.getValue().replace("$DIR", side.dir(c))), got, broken);
            }
            for (var e : c.controllerContent().entrySet()) {
                Path p = ctrl.resolve(e.getKey());
                expect(c, "controller file " + e.getKey(), e.getValue(), Files.exists(p) ? Files.readString(p) : "<missing>", broken);
            }
            for (var e : c.result().entrySet()) {
                expect(c, "registered " + e.getKey(), ContractCases.hostile(e.getValue()), applied.path("result").at(e.getKey()).asText("<missing>"), broken);
            }
        }
        Sh canary = side.sh("test ! -e " + CANARY);
        if (canary.rc() != 0 || Files.exists(Path.of(CANARY))) {
            broken.add("an injected command ran: " + CANARY + " exists");
        }
        assertTrue(broken.isEmpty(), broken.size() + " broken promises on " + side.host() + ":\n  " + String.join("\n  ", broken));
    }

    /** The state the check run must leave alone: every case directory (types, modes, owners, sizes, hashes), each
     * case's own state command, and the controller's case directories. */
    private static String snapshot(Side side, List<Case> cases, Path work) throws Exception {
        StringBuilder script = new StringBuilder();
        for (Case c : cases) {
            String dir = side.dir(c);
            script.append("echo '== ").append(c.index()).append("'; find ").append(quote(dir))
                    .append(" -printf '%P %y %m %u %g %s %l\\n' | sort; find ").append(quote(dir))
                    .append(" -type f -exec sha256sum {} + | sort\n");
            if (!c.state().isEmpty()) {
                script.append("DIR=").append(quote(dir)).append("; { ").append(c.state()).append("\n} 2>&1\n");
            }
        }
        StringBuilder s = new StringBuilder(side.sh(script.toString()).out());
        try (Stream<Path> files = Files.walk(work)) {
            for (Path p : files.filter(p -> p.toString().contains("/ctrl-")).sorted().toList()) {
                s.append(work.relativize(p)).append(Files.isRegularFile(p) ? " " + java.util.Arrays.hashCode(Files.readAllBytes(p)) : "").append('\n');
            }
        }
        return s.toString();
    }

    private static JsonNode one(Lab.Run run, Case c, Side side) {
        return run.results(c.taskName()).stream().filter(r -> r.path("host").asText().equals(side.host())).findFirst()
                .orElseThrow(() -> new AssertionError(c + ": no result for " + side.host() + "\n" + run.console()));
    }

    private static List<String> commands(JsonNode result, String kind) {
        List<String> out = new ArrayList<>();
        result.path("commands").forEach(cmd -> {
            if (cmd.path("kind").asText().equals(kind)) {
                out.add(cmd.path("command").asText());
            }
        });
        return out;
    }

    private static void expect(Case c, String what, Object wanted, Object got, List<String> broken) {
        if (!wanted.equals(got)) {
            broken.add(c + ": " + what + ": wanted " + show(wanted) + ", got " + show(got));
        }
    }

    private static String show(Object o) {
        return o instanceof String s ? "'" + s.replace("\n", "\\n") + "'" : String.valueOf(o);
    }

    private static void expectZero(Sh r, Case c, String what, List<String> broken) {
        if (r.rc() != 0) {
            broken.add(c + ": " + what + " failed (rc " + r.rc() + "): " + r.out().strip());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> substitute(Map<String, Object> m, Case c, Side side, Path ctrl) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, substituteValue(v, c, side, ctrl)));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object substituteValue(Object v, Case c, Side side, Path ctrl) {
        if (v instanceof String s) {
            return ContractCases.hostile(s.replace("$DIR", side.dir(c)).replace("$CTRL", ctrl.toString()));
        }
        if (v instanceof Map<?, ?> m) {
            return substitute((Map<String, Object>) m, c, side, ctrl);
        }
        if (v instanceof List<?> l) {
            return l.stream().map(x -> substituteValue(x, c, side, ctrl)).toList();
        }
        return v;
    }

    private static String vars(Case c, Side side, Path ctrl) {
        return "DIR=" + quote(side.dir(c)) + "; CTRL=" + quote(ctrl.toString()) + "\n";
    }

    private static String orTrue(String s) {
        return s.isEmpty() ? "true" : s;
    }

    private static Sh localSh(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", script + "\necho \"__rc=$?\"").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(120, TimeUnit.SECONDS);
        return parse(out);
    }

    private static Sh parse(String out) {
        int at = out.lastIndexOf("__rc=");
        if (at < 0) {
            return new Sh(255, out);
        }
        return new Sh(Integer.parseInt(out.substring(at + 5).strip()), out.substring(0, at));
    }

    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
