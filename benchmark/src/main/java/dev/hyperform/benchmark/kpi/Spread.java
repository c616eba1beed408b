package dev.hyperform.benchmark.kpi;

import java.util.List;

/** The per-VM spread of a point's values: min, median, max. */
public record Spread(double min, double median, double max) {
    public static Spread of(List<Double> values) {
        List<Double> s = values.stream().sorted().toList();
        int n = s.size();
        double median = n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
        return new Spread(s.get(0), median, s.get(n - 1));
    }
}
