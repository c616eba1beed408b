package dev.hyperform.cli;

import dev.hyperform.error.Failure;
import dev.hyperform.error.HyperformException;
import dev.hyperform.error.Location;
import dev.hyperform.playbook.VarsFiles;
import dev.hyperform.playbook.YamlReader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code -e}: {@code k=v k2=v2}, {@code @vars.yml}, or an inline YAML/JSON map; later ones win. */
final class ExtraVars {
    private ExtraVars() {
    }

    static Map<String, Object> parse(List<String> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String v : values) {
            String t = v.strip();
            if (t.startsWith("@")) {
                out.putAll(VarsFiles.load(Path.of(t.substring(1))));
            } else if (t.startsWith("{")) {
                Object root = YamlReader.parse(Path.of("<-e>"), t).root();
                if (!(root instanceof Map<?, ?> m)) {
                    throw new HyperformException(Failure.INVALID_INPUT, Location.UNKNOWN, "-e " + v + " is not a map",
                            "write -e '{\"a\": 1}' or -e a=1");
                }
                m.forEach((k, x) -> out.put(String.valueOf(k), x));
            } else {
                for (String pair : dev.hyperform.inventory.InventoryWords.split(t)) {
                    int eq = pair.indexOf('=');
                    if (eq <= 0) {
                        throw new HyperformException(Failure.INVALID_INPUT, Location.UNKNOWN, "-e '" + pair
                                + "' is not name=value", "write -e name=value, -e @file.yml or -e '{\"name\": 1}'");
                    }
                    out.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
        }
        return out;
    }
}
