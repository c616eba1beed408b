package dev.hyperform.benchmark.results;

import dev.hyperform.benchmark.fio.FioRun;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One point's folder: its manifest, each VM's parsed fio run (by VM name, the fio file's name without .json), and
 * the VMs whose fio file could not be read, with why.
 */
public record PointResults(Path dir, PointManifest manifest, SortedMap<String, FioRun> runs, SortedMap<String, String> unreadable) {
    public PointResults {
        runs = new TreeMap<>(runs);
        unreadable = new TreeMap<>(unreadable);
    }

    public static PointResults of(Path dir, PointManifest manifest, Map<String, FioRun> runs, Map<String, String> unreadable) {
        return new PointResults(dir, manifest, new TreeMap<>(runs), new TreeMap<>(unreadable));
    }
}
