package dev.hyperform.modules.spdk;

import java.util.BitSet;
import java.util.Optional;

/**
 * A set of cores written the way SPDK v23.09 reads it ({@code spdk_cpuset_parse} in lib/util/cpuset.c): blanks
 * around the text are ignored; text starting with {@code [} is a decimal core list ({@code [0]}, {@code [0,7]},
 * {@code [0-3,8]}); anything else is a hexadecimal mask with or without {@code 0x}/{@code 0X}, so {@code "10"} means
 * core 4 (not core 10) and {@code "0x01"} equals {@code "0x1"}. SPDK reports masks back as {@code 0x} plus hex
 * without leading zeros; two masks are equal when they select the same cores, whatever their spelling.
 *
 * @param cores the selected cores (never modified after construction)
 */
public record CpuMask(BitSet cores) {
    /** SPDK_CPUSET_SIZE: cores beyond it are not representable. */
    static final int SIZE = 1024;
    private static final String HEX = "0123456789abcdef0123456789ABCDEF";

    public CpuMask {
        cores = (BitSet) cores.clone();
    }

    /** The cores {@code text} selects, or empty when SPDK would refuse to parse it. */
    public static Optional<CpuMask> parse(String text) {
        String s = strip(text);
        if (s.isEmpty()) {
            return Optional.empty();
        }
        BitSet set = s.charAt(0) == '[' ? list(s) : hex(s);
        return Optional.ofNullable(set).map(CpuMask::new);
    }

    public static CpuMask ofCores(Iterable<Integer> cores) {
        BitSet set = new BitSet();
        cores.forEach(set::set);
        return new CpuMask(set);
    }

    public boolean isEmpty() {
        return cores.isEmpty();
    }

    /** True when every core of this mask is also in {@code other}. */
    public boolean within(CpuMask other) {
        BitSet outside = (BitSet) cores.clone();
        outside.andNot(other.cores);
        return outside.isEmpty();
    }

    /** SPDK's own spelling: {@code 0x} and hex digits without leading zeros ({@code 0x0} for none). */
    public String hex() {
        if (cores.isEmpty()) {
            return "0x0";
        }
        StringBuilder s = new StringBuilder();
        for (int nibble = (cores.length() - 1) / 4; nibble >= 0; nibble--) {
            int v = 0;
            for (int bit = 0; bit < 4; bit++) {
                v |= cores.get(nibble * 4 + bit) ? 1 << bit : 0;
            }
            s.append(Character.forDigit(v, 16));
        }
        return "0x" + s;
    }

    /** The cores as a list, e.g. {@code [0, 7]}. */
    public String coreList() {
        return cores.toString().replace('{', '[').replace('}', ']');
    }

    @Override
    public String toString() {
        return hex();
    }

    private static String strip(String text) {
        int from = 0;
        int to = text.length();
        while (from < to && blank(text.charAt(from))) {
            from++;
        }
        while (to > from && blank(text.charAt(to - 1))) {
            to--;
        }
        return text.substring(from, to);
    }

    private static boolean blank(char c) {
        return c == ' ' || c == '\t';
    }

    private static BitSet hex(String s) {
        String digits = s.length() >= 2 && s.charAt(0) == '0' && (s.charAt(1) == 'x' || s.charAt(1) == 'X') ? s.substring(2) : s;
        BitSet set = new BitSet();
        int core = 0;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int v = HEX.indexOf(digits.charAt(i)) % 16;
            if (v < 0) {
                return null;
            }
            for (int bit = 0; bit < 4 && core < SIZE; bit++, core++) {
                if ((v & (1 << bit)) != 0) {
                    set.set(core);
                }
            }
        }
        return set;
    }

    /** parse_list: {@code [n]}, {@code [a,b]}, {@code [a-b]}, blanks allowed around numbers, nothing after {@code ]}. */
    private static BitSet list(String s) {
        BitSet set = new BitSet();
        int p = 1;
        long min = -1;
        while (true) {
            while (p < s.length() && blank(s.charAt(p))) {
                p++;
            }
            int start = p;
            if (p < s.length() && s.charAt(p) == '+') {
                p++;
            }
            int digitsFrom = p;
            while (p < s.length() && s.charAt(p) >= '0' && s.charAt(p) <= '9') {
                p++;
            }
            if (p == digitsFrom || start == s.length()) {
                return null;
            }
            String digits = s.substring(digitsFrom, p);
            if (digits.length() > 9 || Long.parseLong(digits) >= SIZE) {
                return null;
            }
            long core = Long.parseLong(digits);
            while (p < s.length() && blank(s.charAt(p))) {
                p++;
            }
            if (p >= s.length()) {
                return null;
            }
            char c = s.charAt(p);
            if (c == '-') {
                min = core;
            } else if (c == ',' || c == ']') {
                long from = min < 0 ? core : min;
                if (from > core) {
                    return null;
                }
                set.set((int) from, (int) core + 1);
                min = -1;
                if (c == ']') {
                    return set;     // SPDK stops at the first ']' and ignores what follows
                }
            } else {
                return null;
            }
            p++;
        }
    }
}
