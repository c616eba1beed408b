package dev.hyperform.cli;

import dev.hyperform.inventory.Host;
import dev.hyperform.inventory.Inventory;
import dev.hyperform.playbook.Play;
import dev.hyperform.playbook.Playbook;
import dev.hyperform.vars.Secret;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Collects the values that must never be shown: passwords under the connection and become variable names,
 * {@link Secret}s, and the values of variables a play names in {@code secrets:}; builds the run's redactor.
 */
final class SecretScan {
    private static final List<String> ALWAYS = List.of("ansible_password", "ansible_ssh_pass", "ansible_become_password",
            "ansible_become_pass", "hyperform_password", "hyperform_become_password");

    private SecretScan() {
    }

    static UnaryOperator<String> redactor(Inventory inventory, List<Playbook> books, Map<String, Object> extraVars) {
        Set<String> names = new LinkedHashSet<>(ALWAYS);
        for (Playbook b : books) {
            for (Play p : b.plays()) {
                names.addAll(p.secrets());
            }
        }
        Set<String> values = new LinkedHashSet<>();
        for (Host h : inventory.hosts()) {
            collect(h.vars(), names, values);
        }
        for (Playbook b : books) {
            for (Play p : b.plays()) {
                collect(p.vars(), names, values);
            }
        }
        collect(extraVars, names, values);
        List<String> sorted = values.stream().filter(v -> v.length() >= 3)
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
        return text -> {
            if (text == null) {
                return null;
            }
            String out = text;
            for (String s : sorted) {
                if (out.contains(s)) {
                    out = out.replace(s, Secret.MASK);
                }
            }
            // values decrypted from vault files during the run (vars_files, group_vars) are secrets too
            for (String s : dev.hyperform.vars.Vault.secrets()) {
                if (out.contains(s)) {
                    out = out.replace(s, Secret.MASK);
                }
            }
            return out;
        };
    }

    private static void collect(Map<String, Object> vars, Set<String> names, Set<String> out) {
        for (Map.Entry<String, Object> e : vars.entrySet()) {
            Object v = e.getValue();
            if (v instanceof Secret s) {
                out.add(s.reveal());
            } else if (names.contains(e.getKey()) && v != null && !(v instanceof Map) && !(v instanceof List)) {
                String text = String.valueOf(v);
                if (!text.contains("${")) {
                    out.add(text);
                }
            }
        }
    }
}
