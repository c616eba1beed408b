package dev.hyperform.run;

import dev.hyperform.facts.FactGatherer;
import dev.hyperform.inventory.Inventory;
import dev.hyperform.inventory.InventoryLoader;
import dev.hyperform.module.ModuleRegistry;
import dev.hyperform.output.Event;
import dev.hyperform.output.EventSink;
import dev.hyperform.playbook.Playbook;
import dev.hyperform.playbook.PlaybookLoader;
import dev.hyperform.transport.ConnectionSettings;
import dev.hyperform.transport.Connections;
import dev.hyperform.vars.Expressions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs a playbook text against an inventory text with the test module and records every event. */
final class RunHarness {
    private static final java.util.Comparator<String> BY_HOST = java.util.Comparator.comparing(s -> s.split(" ")[1]);
    final List<Event> events = new ArrayList<>();
    int exitCode;

    static RunHarness run(Path dir, String inventory, String playbook, RunOptions options) throws Exception {
        return run(dir, inventory, playbook, options, List.of());
    }

    static RunHarness run(Path dir, String inventory, String playbook, RunOptions options,
                          List<dev.hyperform.module.Module> more) throws Exception {
        return run(dir, inventory, playbook, options, more, RunProgress.NONE);
    }

    /** As {@link #run}, with a run journal (or another {@link RunProgress}) attached to the runner. */
    static RunHarness run(Path dir, String inventory, String playbook, RunOptions options,
                          List<dev.hyperform.module.Module> more, RunProgress progress) throws Exception {
        return run(dir, inventory, playbook, options, more, progress, r -> { });
    }

    /** As above; {@code started} gets the runner before it runs (to interrupt it as Ctrl-C does). */
    static RunHarness run(Path dir, String inventory, String playbook, RunOptions options,
                          List<dev.hyperform.module.Module> more, RunProgress progress,
                          java.util.function.Consumer<PlaybookRunner> started) throws Exception {
        Path inv = dir.resolve("hosts.ini");
        Files.writeString(inv, inventory);
        Path pb = dir.resolve("play.yaml");
        Files.writeString(pb, playbook);
        List<dev.hyperform.module.Module> modules = new ArrayList<>(more);
        modules.add(new TestModule());
        ModuleRegistry registry = ModuleRegistry.of(modules.toArray(dev.hyperform.module.Module[]::new));
        PlaybookLoader loader = new PlaybookLoader(registry);
        Playbook book = loader.load(pb);
        Inventory inventoryModel = InventoryLoader.load(List.of(inv.toString()));
        RunHarness h = new RunHarness();
        EventSink sink = h.events::add;
        try (Connections c = new Connections(ConnectionSettings.defaults())) {
            PlaybookRunner r = new PlaybookRunner(inventoryModel, new Expressions(), registry, c, new PlaybookIncludes(loader),
                    new FactGatherer(), sink, s -> s, options);
            r.progress(progress);
            started.accept(r);
            h.exitCode = r.run(List.of(book));
        }
        return h;
    }

    static RunHarness run(Path dir, String inventory, String playbook) throws Exception {
        return run(dir, inventory, playbook, RunOptions.defaults());
    }

    /**
     * "task host status" lines of every host result, in task order. Hosts work in parallel, so within one task
     * their results are sorted by host (stably); loop items of one host keep their order.
     */
    List<String> results() {
        List<String> out = new ArrayList<>();
        List<String> group = new ArrayList<>();
        String task = null;
        for (Event e : events) {
            if (e instanceof Event.HostResult r) {
                if (!r.task().equals(task)) {
                    group.sort(BY_HOST);
                    out.addAll(group);
                    group.clear();
                    task = r.task();
                }
                group.add(r.task() + " " + r.host() + " " + r.status().name().toLowerCase() + (r.item() == null ? "" : " " + r.item()));
            } else if (e instanceof Event.TaskStarted) {
                group.sort(BY_HOST);
                out.addAll(group);
                group.clear();
                task = null;
            }
        }
        group.sort(BY_HOST);
        out.addAll(group);
        return out;
    }

    List<List<String>> batches() {
        return events.stream().filter(e -> e instanceof Event.PlayStarted).map(e -> ((Event.PlayStarted) e).hosts()).toList();
    }

    Map<String, Event.Recap> recap() {
        return events.stream().filter(e -> e instanceof Event.RunFinished).map(e -> ((Event.RunFinished) e).recap())
                .findFirst().orElseThrow();
    }

    Object valueOf(String task, String host, String key) {
        for (Event e : events) {
            if (e instanceof Event.HostResult r && r.task().equals(task) && r.host().equals(host)) {
                return r.result().get(key);
            }
        }
        throw new AssertionError("no result for " + task + " on " + host + ": " + results());
    }

    String messageOf(String task, String host) {
        for (Event e : events) {
            if (e instanceof Event.HostResult r && r.task().equals(task) && r.host().equals(host)) {
                return r.message();
            }
        }
        throw new AssertionError("no result for " + task + " on " + host + ": " + results());
    }
}
