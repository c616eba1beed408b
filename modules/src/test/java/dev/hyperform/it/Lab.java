package dev.hyperform.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyperform.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The lab of real Debian hosts, as integration tests see it: its directory (system property hyperform.lab.dir,
 * default /var/lib/hyperform-lab), its inventory, ssh into a node, and in-process hyperform runs whose events
 * and console output the test can read.
 */
final class Lab {
    static final Path DIR = Path.of(System.getProperty("hyperform.lab.dir", "/var/lib/hyperform-lab"));
    static final Path INVENTORY = DIR.resolve("inventory.ini");
    static final ObjectMapper JSON = new ObjectMapper();

    private Lab() {
    }

    static Path home() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("lab/hyperform-lab"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the hyperform checkout above " + Path.of("").toAbsolutePath());
    }

    /** Run a command on a node as root through the lab's ssh (the system ssh client, not hyperform). */
    static String ssh(String node, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", home().resolve("lab/hyperform-lab").toString(), "ssh", node, command)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("ssh " + node + " '" + command + "' failed: " + out);
        }
        return out.strip();
    }

    static void labCommand(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", home().resolve("lab/hyperform-lab").toString()));
        cmd.addAll(List.of(args));
        // output to the test log; stdin not: it is the test runner's command pipe, and an ssh in the script that
        // reads it (or sets it non-blocking) breaks the runner (surefire: "std/in stream corrupted")
        Process p = new ProcessBuilder(cmd).inheritIO().redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("hyperform-lab " + String.join(" ", args) + " failed");
        }
    }

    /** A lab command's standard output (its standard error goes to the test log). */
    static String labOutput(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", home().resolve("lab/hyperform-lab").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(180, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("hyperform-lab " + String.join(" ", args) + " failed: " + out);
        }
        return out.strip();
    }

    static String sudoPassword() throws IOException {
        return Files.readString(DIR.resolve("sudo_password")).strip();
    }

    /** One in-process {@code hyperform play} run: exit code, console text, events. */
    record Run(int exitCode, String console, List<JsonNode> events, String eventsText) {
        List<JsonNode> results(String task) {
            return events.stream().filter(e -> e.path("event").asText().equals("host_result")
                    && e.path("task").asText().equals(task)).toList();
        }

        JsonNode recap(String host) {
            return events.stream().filter(e -> e.path("event").asText().equals("run_finished")).findFirst()
                    .orElseThrow().path("recap").path(host);
        }
    }

    static synchronized Run play(Path workDir, String... args) throws IOException {
        Path events = workDir.resolve("events-" + System.nanoTime() + ".jsonl");
        List<String> all = new ArrayList<>(List.of("play", "--events", events.toString()));
        all.addAll(List.of(args));
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try (PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            code = Main.run(all.toArray(String[]::new));
        } finally {
            System.setOut(old);
        }
        String console = buf.toString(StandardCharsets.UTF_8);
        old.print(console);
        String text = Files.exists(events) ? Files.readString(events) : "";
        List<JsonNode> parsed = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                parsed.add(JSON.readTree(line));
            }
        }
        return new Run(code, console, parsed, text);
    }

    /** QEMU's view of a domain's vhost-user disk socket ("... filename=unix:" when connected), from its monitor. */
    static String vhostUserChardev(String node, String domain) throws IOException, InterruptedException {
        return ssh(node, "virsh qemu-monitor-command " + domain + " --hmp 'info chardev' | grep chr-vu");
    }

    /** A run's arguments with more appended (e.g. the same run with --check). */
    static String[] plus(String[] args, String... more) {
        String[] out = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, out, args.length, more.length);
        return out;
    }

    static Path write(Path dir, String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }
}
