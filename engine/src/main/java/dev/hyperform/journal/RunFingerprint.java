package dev.hyperform.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a run was asked to do, as far as a resumed run must do the same: the playbooks and inventories (paths and
 * digests of their files), {@code --limit}, {@code --tags}, {@code --skip-tags}, check mode, and the extra vars
 * (a digest per name, so that the journal never holds their values). The become password is not part of it.
 */
public record RunFingerprint(List<String> playbooks, List<String> inventories, String limit, List<String> tags,
                             List<String> skipTags, boolean check, Map<String, String> extraVars,
                             Map<String, String> playbookFiles, Map<String, String> inventoryFiles) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BECOME_PASSWORD = "ansible_become_password";

    public RunFingerprint {
        playbooks = List.copyOf(playbooks);
        inventories = List.copyOf(inventories);
        tags = List.copyOf(tags);
        skipTags = List.copyOf(skipTags);
        extraVars = new TreeMap<>(extraVars);
        playbookFiles = new TreeMap<>(playbookFiles);
        inventoryFiles = new TreeMap<>(inventoryFiles);
    }

    /** Digests the files now; {@code journal} is left out of the playbook side when it lies beside the playbooks. */
    public static RunFingerprint of(List<Path> playbooks, List<String> inventories, String limit, List<String> tags,
                                    List<String> skipTags, boolean check, Map<String, Object> extraVars, Path journal) {
        Map<String, String> inventoryFiles = FileDigests.inventorySide(inventories);
        Map<String, String> vars = new TreeMap<>();
        extraVars.forEach((k, v) -> {
            if (!k.equals(BECOME_PASSWORD)) {
                vars.put(k, FileDigests.sha256(json(v).getBytes(StandardCharsets.UTF_8)));
            }
        });
        List<String> inventoryNames = inventories.stream()
                .map(i -> i.contains(",") && !java.nio.file.Files.exists(Path.of(i)) ? i : Path.of(i).toAbsolutePath().normalize().toString())
                .toList();
        return new RunFingerprint(playbooks.stream().map(p -> p.toAbsolutePath().normalize().toString()).toList(),
                inventoryNames, limit == null || limit.isBlank() ? null : limit, tags, skipTags, check, vars,
                FileDigests.playbookSide(playbooks, inventoryFiles, journal), inventoryFiles);
    }

    /** What differs between the run in the journal ({@code this}) and the one asked for now; empty when none. */
    public List<String> differences(RunFingerprint now) {
        List<String> out = new ArrayList<>();
        if (!playbooks.equals(now.playbooks)) {
            out.add("the playbooks differ: the journal has " + playbooks + ", now " + now.playbooks);
        }
        if (!inventories.equals(now.inventories)) {
            out.add("the inventories differ: the journal has " + inventories + ", now " + now.inventories);
        }
        files("playbook files changed since the journal was written", playbookFiles, now.playbookFiles, out);
        files("the inventory changed since the journal was written", inventoryFiles, now.inventoryFiles, out);
        if (!Objects.equals(limit, now.limit)) {
            out.add("--limit differs: the journal has " + shown(limit) + ", now " + shown(now.limit));
        }
        if (!tags.equals(now.tags)) {
            out.add("--tags differ: the journal has " + tags + ", now " + now.tags);
        }
        if (!skipTags.equals(now.skipTags)) {
            out.add("--skip-tags differ: the journal has " + skipTags + ", now " + now.skipTags);
        }
        if (check != now.check) {
            out.add("check mode differs: the journal's run " + (check ? "was" : "was not") + " in check mode");
        }
        List<String> vars = changes(extraVars, now.extraVars);
        if (!vars.isEmpty()) {
            out.add("extra vars (-e) differ: " + String.join(", ", vars));
        }
        return out;
    }

    private static void files(String what, Map<String, String> then, Map<String, String> now, List<String> out) {
        List<String> changed = changes(then, now);
        if (!changed.isEmpty()) {
            out.add(what + ": " + String.join(", ", changed));
        }
    }

    private static List<String> changes(Map<String, String> then, Map<String, String> now) {
        List<String> out = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>(then.keySet());
        names.addAll(now.keySet());
        for (String n : names) {
            if (!now.containsKey(n)) {
                out.add(n + " (gone)");
            } else if (!then.containsKey(n)) {
                out.add(n + " (new)");
            } else if (!then.get(n).equals(now.get(n))) {
                out.add(n + " (changed)");
            }
        }
        return out;
    }

    private static String shown(String limit) {
        return limit == null ? "none" : "'" + limit + "'";
    }

    private static String json(Object v) {
        try {
            return JSON.writeValueAsString(v);
        } catch (JsonProcessingException | RuntimeException e) {
            return String.valueOf(v);
        }
    }
}
