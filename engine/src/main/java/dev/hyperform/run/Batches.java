package dev.hyperform.run;

import dev.hyperform.error.Failure;
import dev.hyperform.error.HyperformException;
import dev.hyperform.error.Location;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a play's hosts into {@code serial} batches with Ansible's arithmetic: a size is a number or "N%" of all
 * hosts (rounded down, at least 1); a list gives successive sizes and its last size repeats for the rest; the last
 * batch takes what remains. No serial = one batch of all hosts.
 */
public final class Batches {
    private Batches() {
    }

    public static <T> List<List<T>> split(List<T> hosts, List<Object> serial, Location where) {
        List<List<T>> batches = new ArrayList<>();
        if (hosts.isEmpty()) {
            return batches;
        }
        if (serial == null || serial.isEmpty()) {
            batches.add(List.copyOf(hosts));
            return batches;
        }
        int i = 0;
        int step = 0;
        while (i < hosts.size()) {
            Object spec = serial.get(Math.min(step, serial.size() - 1));
            int size = size(spec, hosts.size(), where);
            int end = Math.min(hosts.size(), i + size);
            batches.add(List.copyOf(hosts.subList(i, end)));
            i = end;
            step++;
        }
        return batches;
    }

    static int size(Object spec, int total, Location where) {
        String text = String.valueOf(spec).trim();
        try {
            int n;
            if (text.endsWith("%")) {
                double pct = Double.parseDouble(text.substring(0, text.length() - 1).trim());
                n = (int) Math.floor(total * pct / 100.0);
            } else {
                n = Integer.parseInt(text);
            }
            return n <= 0 ? (text.endsWith("%") ? 1 : total) : n;
        } catch (NumberFormatException e) {
            throw new HyperformException(Failure.INVALID_INPUT, where, "serial: '" + text + "' is not a number or a percentage",
                    "write serial: 2, serial: \"30%\" or serial: [1, \"50%\"]");
        }
    }
}
