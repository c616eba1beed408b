package dev.hyperform.modules.files;

/**
 * File modes: numeric ("0644", "644", YAML's octal 0644 read as 420 arrives as "0644") and symbolic
 * ({@code u+x,go-w}, {@code a=r}) resolved against the current mode, so a module can tell whether anything changes.
 */
public final class Modes {
    private Modes() {
    }

    /** "644" and "0644" become "0644". */
    public static String normalise(String mode) {
        if (mode == null) {
            return null;
        }
        String m = mode.strip();
        if (m.matches("[0-7]{1,4}")) {
            return String.format("%04o", Integer.parseInt(m, 8));
        }
        return m;
    }

    /** The numeric mode that {@code chmod desired} gives a file whose mode is {@code current} (both as text). */
    public static String resolve(String desired, String current, boolean directory) {
        String n = normalise(desired);
        if (n.matches("[0-7]{4}")) {
            return n;
        }
        int mode = current == null ? (directory ? 0755 : 0644) : Integer.parseInt(normalise(current), 8);
        for (String clause : desired.split(",")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("([ugoa]*)([-+=])([rwxXst]*)").matcher(clause.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + desired + "' is not a file mode");
            }
            String who = m.group(1).isEmpty() ? "a" : m.group(1);
            int bits = 0;
            for (char p : m.group(3).toCharArray()) {
                bits |= switch (p) {
                    case 'r' -> 0444;
                    case 'w' -> 0222;
                    case 'x' -> 0111;
                    case 'X' -> directory || (mode & 0111) != 0 ? 0111 : 0;
                    case 's' -> 06000;
                    case 't' -> 01000;
                    default -> 0;
                };
            }
            int mask = 0;
            if (who.contains("a")) {
                mask = 07777;
            } else {
                if (who.contains("u")) {
                    mask |= 04700;
                }
                if (who.contains("g")) {
                    mask |= 02070;
                }
                if (who.contains("o")) {
                    mask |= 01007;
                }
            }
            bits &= mask;
            mode = switch (m.group(2)) {
                case "+" -> mode | bits;
                case "-" -> mode & ~bits;
                default -> (mode & ~(mask & 0777)) | bits;
            };
        }
        return String.format("%04o", mode & 07777);
    }
}
