package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * ansible-playbook (Debian's ansible-core 2.14) run in a directory for the parity tests, its console read back as
 * "task host status [item]" result lines ({@code ...ignoring} makes a failure "ignored"), "task included FILE for
 * h1,h2 [item]" lines (FILE relative to the directory, hosts sorted) and the recap's ok/changed/failed/skipped per
 * host; {@link #lines} and {@link #recap} read a hyperform run's events into the same form. Skipped where
 * ansible-playbook is not installed, except in CI.
 */
final class AnsiblePlaybook {
    /** The inventory both tools run the parity plays on: two local hosts of group g, with kind a and b. */
    static final String HOSTS = "[g]\nh1 kind=a\nh2 kind=b\n[g:vars]\nansible_connection=local\n"
            + "ansible_python_interpreter=/usr/bin/python3\n";
    private static final Path ANSIBLE = Path.of("/usr/bin/ansible-playbook");
    private static final Pattern TASK = Pattern.compile("^TASK \\[(.*)] \\**$");
    private static final Pattern RESULT = Pattern.compile("^(ok|changed|skipping|fatal|failed): \\[([^]]+)](?: => \\(item=(.*?)\\))?");
    private static final Pattern IGNORING = Pattern.compile("^\\.\\.\\.ignoring$");
    private static final Pattern INCLUDED = Pattern.compile("^included: (\\S+) for ([^=]+?)(?: => \\(item=(.*?)\\))?$");
    private static final Pattern RECAP = Pattern.compile("^(\\S+)\\s+: ok=(\\d+)\\s+changed=(\\d+)\\s+unreachable=\\d+\\s+"
            + "failed=(\\d+)\\s+skipped=(\\d+)");

    record Seen(List<String> results, Map<String, String> recap) {
    }

    private AnsiblePlaybook() {
    }

    /** Runs {@code ansible-playbook -i hosts PLAYBOOK [--check]} in {@code dir}. */
    static Seen run(Path dir, String playbook, boolean check) throws Exception {
        boolean installed = Files.isExecutable(ANSIBLE);
        if (!installed && "true".equals(System.getenv("CI"))) {
            fail("ansible-playbook is not installed; CI must install Debian's ansible-core (see .ci/run)");
        }
        Assumptions.assumeTrue(installed, "ansible-playbook not installed: comparison with ansible-core skipped");
        List<String> cmd = new ArrayList<>(List.of(ANSIBLE.toString(), "-i", "hosts", playbook));
        if (check) {
            cmd.add("--check");
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("ANSIBLE_NOCOLOR", "1");
        pb.environment().put("ANSIBLE_LOCALHOST_WARNING", "false");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "ansible-playbook did not finish");
        List<String> results = new ArrayList<>();
        Map<String, String> recap = new TreeMap<>();
        String task = null;
        for (String line : out.split("\n")) {
            Matcher t = TASK.matcher(line);
            Matcher r = RESULT.matcher(line);
            Matcher i = INCLUDED.matcher(line.stripTrailing());
            Matcher s = RECAP.matcher(line);
            if (t.find()) {
                task = t.group(1);
            } else if (IGNORING.matcher(line).find() && !results.isEmpty()) {
                int last = results.size() - 1;
                results.set(last, results.get(last).replaceFirst(" failed$", " ignored"));
            } else if (r.find()) {
                String status = switch (r.group(1)) {
                    case "skipping" -> "skipped";
                    case "fatal" -> "failed";
                    default -> r.group(1);
                };
                results.add(task + " " + r.group(2) + " " + status + (r.group(3) == null ? "" : " " + r.group(3)));
            } else if (i.find()) {
                results.add(task + " included " + dir.relativize(Path.of(i.group(1))) + " for "
                        + String.join(",", Arrays.stream(i.group(2).split(",\\s*")).sorted().toList())
                        + (i.group(3) == null ? "" : " " + i.group(3)));
            } else if (s.find()) {
                recap.put(s.group(1), "ok=" + s.group(2) + " changed=" + s.group(3) + " failed=" + s.group(4)
                        + " skipped=" + s.group(5));
            }
        }
        assertTrue(!recap.isEmpty(), out);
        return new Seen(results, recap);
    }

    /** A hyperform run's host results and included events as the same lines (FILE relative to {@code dir}). */
    static List<String> lines(Lab.Run run, Path dir) {
        List<String> results = new ArrayList<>();
        for (JsonNode e : run.events()) {
            String item = e.path("item").isMissingNode() || e.path("item").isNull() ? "" : " " + e.path("item").asText();
            if (e.path("event").asText().equals("host_result")) {
                results.add(e.path("task").asText() + " " + e.path("host").asText() + " " + e.path("status").asText() + item);
            } else if (e.path("event").asText().equals("included")) {
                List<String> hosts = new ArrayList<>();
                e.path("hosts").forEach(h -> hosts.add(h.asText()));
                results.add(e.path("task").asText() + " included " + dir.relativize(Path.of(e.path("file").asText()))
                        + " for " + String.join(",", hosts.stream().sorted().toList()) + item);
            }
        }
        return results;
    }

    /** A hyperform run's recap in the same form. */
    static Map<String, String> recap(Lab.Run run) {
        Map<String, String> recap = new TreeMap<>();
        run.events().stream().filter(e -> e.path("event").asText().equals("run_finished")).findFirst().orElseThrow()
                .path("recap").fields().forEachRemaining(f -> recap.put(f.getKey(), "ok=" + f.getValue().path("ok").asInt()
                        + " changed=" + f.getValue().path("changed").asInt() + " failed=" + f.getValue().path("failed").asInt()
                        + " skipped=" + f.getValue().path("skipped").asInt()));
        return recap;
    }
}
