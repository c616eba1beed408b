package dev.hyperform.modules.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.Location;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.ChangeRunner;
import dev.hyperform.module.Command;
import dev.hyperform.module.ModuleException;
import dev.hyperform.module.ModuleResult;
import dev.hyperform.module.Operation;
import dev.hyperform.module.Target;
import dev.hyperform.modules.testing.LocalShellTarget;
import dev.hyperform.transport.ExecResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * hugepages per NUMA node, its retry after memory compaction and its shortfall error, against {@link KernelDouble}
 * (a test double of the kernel's hugepage files; the machine's real pool is shared and is only touched by the lab's
 * node-role tests under the lab lock).
 */
class HugepagesModuleTest {
    @TempDir
    Path dir;

    /**
     * A test double of the kernel's hugepage sysfs files: the module's /sys and /proc paths are rewritten into plain
     * files under a temp directory; after each write a node holds at most {@code available} pages, as a fragmented
     * kernel gives fewer than asked, and a memory compaction makes {@code afterCompaction} pages available.
     */
    static final class KernelDouble implements Target {
        final LocalShellTarget inner;
        final Path root;
        final Map<String, Long> available = new HashMap<>();
        final Map<String, Long> afterCompaction = new HashMap<>();
        int compactions;

        KernelDouble(Path root, List<String> nodes) throws Exception {
            this.root = root;
            this.inner = new LocalShellTarget(root, false);
            Files.createDirectories(root.resolve("sys/kernel/mm/hugepages/hugepages-2048kB"));
            Files.writeString(root.resolve("sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages"), "0\n");
            for (String n : nodes) {
                Path d = Files.createDirectories(root.resolve("sys/devices/system/node/node" + n + "/hugepages/hugepages-2048kB"));
                Files.writeString(d.resolve("nr_hugepages"), "0\n");
            }
            Files.createDirectories(root.resolve("proc/sys/vm"));
        }

        Path nodeFile(String n) {
            return root.resolve("sys/devices/system/node/node" + n + "/hugepages/hugepages-2048kB/nr_hugepages");
        }

        long pages(String n) throws Exception {
            return Long.parseLong(Files.readString(nodeFile(n)).strip());
        }

        private Command inTree(Command c) {
            List<String> argv = c.argv().stream().map(a -> a.replace("/sys/", root + "/sys/").replace("/proc/sys/vm/", root + "/proc/sys/vm/")).toList();
            return new Command(argv, c.stdin(), c.sensitive(), c.description());
        }

        @Override
        public ExecResult probe(Command command) {
            return inner.probe(inTree(command));
        }

        @Override
        public ExecResult run(Operation operation) {
            Command command = (Command) operation;
            if (command.description().equals("compact memory")) {
                compactions++;
                available.putAll(afterCompaction);
            }
            ExecResult r = inner.run(inTree(command));
            try {
                for (Map.Entry<String, Long> cap : available.entrySet()) {
                    if (pages(cap.getKey()) > cap.getValue()) {
                        Files.writeString(nodeFile(cap.getKey()), cap.getValue() + "\n");
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return r;
        }

        @Override
        public ModuleResult execute(Change change) {
            return ChangeRunner.run(change, this::run);
        }

        @Override
        public <T> T probeApi(String description, java.util.function.Supplier<T> read) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T> T shared(String key, java.util.function.Supplier<T> create) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ExecResult probeOn(String otherHost, Command command) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int forward(String viaHost, String address, int port) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String host() {
            return "node1";
        }

        @Override
        public Map<String, Object> facts() {
            return Map.of();
        }

        @Override
        public Map<String, Object> vars() {
            return Map.of();
        }

        @Override
        public boolean checkMode() {
            return false;
        }

        @Override
        public boolean diffMode() {
            return true;
        }

        @Override
        public Path controllerFile(String kind, String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String renderTemplate(Path template) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean test(String expression) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object evaluate(String expression) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void reconnect(long timeoutSeconds) {
        }
    }

    private final HugepagesModule module = new HugepagesModule();

    private Args args(Map<String, Object> raw) {
        return module.spec().validate("hugepages", raw, Location.UNKNOWN);
    }

    private ModuleResult converge(Target t, Args a) {
        Change c = module.plan(t, a);
        return c.isNone() ? ModuleResult.ok(c.summary(), c.values()) : module.apply(t, a, c);
    }

    @Test
    void perNodeWritesEachNodeAndThenHasNothingToDo() throws Exception {
        KernelDouble k = new KernelDouble(dir, List.of("0", "1"));
        Args a = args(Map.of("per_node", Map.of("0", 4, "1", 2)));
        Change c = module.plan(k, a);
        assertEquals(2, c.commands().size(), c.commands().toString());
        ModuleResult r = module.apply(k, a, c);
        assertTrue(r.changed() && !r.failed(), r.message());
        assertEquals(4, k.pages("0"));
        assertEquals(2, k.pages("1"));
        assertEquals(0L, Long.parseLong(Files.readString(dir.resolve("sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages")).strip()),
                "the total is not written when pages are asked per node");
        assertTrue(module.plan(k, a).isNone(), "second run");
    }

    @Test
    void aShortfallIsRetriedAfterCompactingMemory() throws Exception {
        KernelDouble k = new KernelDouble(dir, List.of("0"));
        k.available.put("0", 2L);
        k.afterCompaction.put("0", 4L);
        ModuleResult r = converge(k, args(Map.of("per_node", Map.of("0", 4))));
        assertTrue(r.changed() && !r.failed(), r.message());
        assertEquals(2, r.values().get("attempts"));
        assertEquals(1, k.compactions);
        assertEquals(4, k.pages("0"));
    }

    @Test
    void aLastingShortfallFailsWithRequestedAndActualPerNode() throws Exception {
        KernelDouble k = new KernelDouble(dir, List.of("0"));
        k.available.put("0", 2L);
        ModuleException e = assertThrows(ModuleException.class, () -> converge(k, args(Map.of("per_node", Map.of("0", 4), "retries", 3))));
        assertTrue(e.getMessage().contains("the kernel gave {0=2} 2M huge pages on node1, requested {0=4} (after 3 attempts)"), e.getMessage());
        assertEquals(3, k.compactions);
    }

    @Test
    void aMissingNodeIsNamed() throws Exception {
        KernelDouble k = new KernelDouble(dir, List.of("0"));
        ModuleException e = assertThrows(ModuleException.class, () -> module.plan(k, args(Map.of("per_node", Map.of("7", 4)))));
        assertTrue(e.getMessage().contains("has no 2M huge pages on NUMA node 7"), e.getMessage());
    }
}
