package dev.hyperform.cli;

import dev.hyperform.error.ExitCode;
import dev.hyperform.error.Failure;
import dev.hyperform.error.HyperformException;
import dev.hyperform.error.Location;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hyperform lab up|down|status|stop|start|ssh}: the local lab of real Debian hosts. The root work is done by
 * the script {@code lab/hyperform-lab} of the hyperform checkout (found through HYPERFORM_HOME, set by the
 * launcher, or upwards from the working directory).
 */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = "Local lab of real Debian hosts (systemd-nspawn, one network namespace each). Needs root.",
        subcommands = {LabCommand.Up.class, LabCommand.Down.class, LabCommand.Status.class, LabCommand.Stop.class,
                LabCommand.Start.class, LabCommand.Ssh.class})
public final class LabCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("usage: hyperform lab up [--nodes N] [--ceph] | down | status | stop NODE | start NODE | ssh NODE [cmd...]");
        return ExitCode.INVALID_INPUT;
    }

    static int script(List<String> args) throws Exception {
        int rc = run(args);
        return switch (rc) {
            case 0 -> ExitCode.OK;
            case 5 -> ExitCode.ENVIRONMENT;
            case 2 -> ExitCode.INVALID_INPUT;
            default -> rc;
        };
    }

    /** Run lab/hyperform-lab with the terminal; its exit code unchanged. */
    static int run(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", locate().toString()));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).inheritIO().start().waitFor();
    }

    /** The lab's state directory: HYPERFORM_LAB_DIR as the script reads it, else its default. */
    static Path labDir() {
        String dir = System.getenv("HYPERFORM_LAB_DIR");
        return Path.of(dir == null || dir.isBlank() ? "/var/lib/hyperform-lab" : dir);
    }

    static Path locate() {
        List<Path> starts = new ArrayList<>();
        String home = System.getenv("HYPERFORM_HOME");
        if (home != null) {
            starts.add(Path.of(home));
        }
        starts.add(Path.of("").toAbsolutePath());
        for (Path start : starts) {
            for (Path p = start; p != null; p = p.getParent()) {
                Path s = p.resolve("lab/hyperform-lab");
                if (Files.isRegularFile(s)) {
                    return s;
                }
            }
        }
        throw new HyperformException(Failure.ENVIRONMENT, Location.UNKNOWN, "cannot find lab/hyperform-lab",
                "run hyperform from its checkout (./hyperform sets HYPERFORM_HOME)");
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Start N hosts (default 3); keeps running ones, builds the base image once; --ceph then brings up Ceph.")
    static final class Up implements Callable<Integer> {
        @Option(names = "--nodes", description = "how many hosts (default ${DEFAULT-VALUE})")
        int nodes = 3;
        @Option(names = "--ceph", description = "then bring up Ceph across the hosts (lab/ceph/ceph.yaml, run by hyperform)")
        boolean ceph;

        @Override
        public Integer call() throws Exception {
            int rc = script(List.of("up", Integer.toString(nodes)));
            return rc != ExitCode.OK || !ceph ? rc : ceph();
        }

        /** The Ceph playbooks, run in-process like {@code hyperform play -i LAB/inventory.ini lab/ceph/ceph.yaml}. */
        private static int ceph() {
            Path playbook = locate().getParent().resolve("ceph/ceph.yaml");
            Path inventory = labDir().resolve("inventory.ini");
            long start = System.nanoTime();
            int rc = Main.run("play", "-i", inventory.toString(), playbook.toString());
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            System.err.println(rc == ExitCode.OK ? "hyperform-lab: Ceph up (HEALTH_OK) in " + seconds + " s"
                    : "hyperform-lab: Ceph playbook failed after " + seconds + " s (exit " + rc + "): " + playbook);
            return rc;
        }
    }

    @Command(name = "down", description = "Stop and remove every host (the base image is kept).")
    static final class Down implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            return script(List.of("down"));
        }
    }

    @Command(name = "status", description = "Hosts, addresses, state, whether ssh answers.")
    static final class Status implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            return script(List.of("status"));
        }
    }

    @Command(name = "stop", description = "Power off one host (orderly).")
    static final class Stop implements Callable<Integer> {
        @Parameters(paramLabel = "NODE")
        String node;

        @Override
        public Integer call() throws Exception {
            return script(List.of("stop", node));
        }
    }

    @Command(name = "start", description = "Boot one host again and wait for ssh.")
    static final class Start implements Callable<Integer> {
        @Parameters(paramLabel = "NODE")
        String node;

        @Override
        public Integer call() throws Exception {
            return script(List.of("start", node));
        }
    }

    /**
     * {@code lab ssh NODE [CMD...]}: options are read only before NODE; everything after it goes to ssh unparsed, and
     * ssh hands it to the host's shell as one command line (as {@code ssh host CMD...} does). The exit code is the
     * remote command's.
     */
    @Command(name = "ssh", mixinStandardHelpOptions = true,
            description = "ssh into a host as root, or run CMD there (everything after NODE is the host's command line).")
    static final class Ssh implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NODE", description = "node1, node2, ...")
        String node;
        @Parameters(index = "1..*", arity = "0..*", paramLabel = "CMD", description = "command line for the host's shell")
        List<String> command = new ArrayList<>();

        /** Stop option parsing at NODE: {@code lab ssh node1 ls -l /tmp} must not read {@code -l} as an option. */
        static void stopOptionsAtNode(picocli.CommandLine lab) {
            lab.getSubcommands().get("ssh").setStopAtPositional(true);
        }

        @Override
        public Integer call() throws Exception {
            return run(scriptArgs());
        }

        List<String> scriptArgs() {
            List<String> a = new ArrayList<>(List.of("ssh", node));
            a.addAll(command);
            return a;
        }
    }
}
