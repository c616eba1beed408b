package dev.hyperform.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The start-up fast path of {@code hyperform play}: picocli's classes (class file version 49) stay out of the JDK's
 * ahead-of-time cache, so building its model cost ~50 ms of every start. This reads the plain command lines of
 * {@code play} into a {@link PlayCommand} exactly as picocli would, and declines (empty) every line it does not
 * fully understand: help, version, an unknown or repeated single option, a missing value, a value that starts with
 * {@code -}, a value picocli would convert differently. Declined lines go to picocli unchanged, so its messages
 * and exit codes stay the only ones users see. PlayArgumentsTest holds both parsers to the same result.
 */
final class PlayArguments {
    /** How an option takes its value, as picocli reads PlayCommand's field types. */
    private enum Kind { FLAG, COUNT, ONE, MANY, SPLIT }

    /** Every option name of PlayCommand (help and version excluded: picocli answers those), to its long name. */
    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("-i", "--inventory"), Map.entry("--inventory", "--inventory"),
            Map.entry("-l", "--limit"), Map.entry("--limit", "--limit"),
            Map.entry("-t", "--tags"), Map.entry("--tags", "--tags"),
            Map.entry("--skip-tags", "--skip-tags"),
            Map.entry("-e", "--extra-vars"), Map.entry("--extra-vars", "--extra-vars"),
            Map.entry("-C", "--check"), Map.entry("--check", "--check"),
            Map.entry("-D", "--diff"), Map.entry("--diff", "--diff"),
            Map.entry("-f", "--forks"), Map.entry("--forks", "--forks"),
            Map.entry("--start-at-task", "--start-at-task"),
            Map.entry("--list-tasks", "--list-tasks"),
            Map.entry("--list-hosts", "--list-hosts"),
            Map.entry("--force-handlers", "--force-handlers"),
            Map.entry("-u", "--user"), Map.entry("--user", "--user"),
            Map.entry("--private-key", "--private-key"),
            Map.entry("--known-hosts", "--known-hosts"),
            Map.entry("--host-key-checking", "--host-key-checking"),
            Map.entry("-b", "--become"), Map.entry("--become", "--become"),
            Map.entry("--become-user", "--become-user"),
            Map.entry("--become-method", "--become-method"),
            Map.entry("-c", "--connection"), Map.entry("--connection", "--connection"),
            Map.entry("-T", "--timeout"), Map.entry("--timeout", "--timeout"),
            Map.entry("-K", "--ask-become-pass"), Map.entry("--ask-become-pass", "--ask-become-pass"),
            Map.entry("--vault-password-file", "--vault-password-file"),
            Map.entry("--events", "--events"),
            Map.entry("--output", "--output"),
            Map.entry("--junit", "--junit"),
            Map.entry("--journal", "--journal"),
            Map.entry("--resume", "--resume"),
            Map.entry("-v", "-v"));

    private PlayArguments() {
    }

    /** The option names this parser reads (PlayArgumentsTest: the same as PlayCommand's). */
    static Set<String> names() {
        return NAMES.keySet();
    }

    /** {@code args} is the whole command line ({@code play ...}); empty: let picocli parse it. */
    static Optional<PlayCommand> parse(String... args) {
        if (args.length == 0 || !args[0].equals("play")) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(new Reader(new PlayCommand(), args).read());
        } catch (NumberFormatException | InvalidPathException e) {
            return Optional.empty(); // picocli reports a bad number or path in its words
        }
    }

    /** One pass over the arguments; null as soon as one is not understood. */
    private static final class Reader {
        private final PlayCommand play;
        private final String[] args;
        private final Set<String> seen = new HashSet<>();
        private int next = 1;

        Reader(PlayCommand play, String[] args) {
            this.play = play;
            this.args = args;
        }

        PlayCommand read() {
            while (next < args.length) {
                String arg = args[next++];
                if (arg.equals("--")) {
                    while (next < args.length) {
                        if (!positional(args[next++])) {
                            return null;
                        }
                    }
                } else if (!(arg.startsWith("-") ? option(arg) : positional(arg))) {
                    return null;
                }
            }
            return play;
        }

        private boolean positional(String arg) {
            if (arg.isEmpty()) {
                return false;
            }
            play.playbooks.add(Path.of(arg));
            return true;
        }

        /** {@code --name}, {@code --name=value}, {@code -x}, {@code -x=value}, or a cluster like {@code -vvv}, {@code -Cilocal,}. */
        private boolean option(String arg) {
            int eq = arg.indexOf('=');
            if (NAMES.containsKey(arg)) {
                return value(NAMES.get(arg), null);
            }
            if (eq > 0 && NAMES.containsKey(arg.substring(0, eq))) {
                String name = NAMES.get(arg.substring(0, eq));
                return kind(name).compareTo(Kind.ONE) >= 0 && value(name, arg.substring(eq + 1));
            }
            if (arg.startsWith("--") || arg.length() < 3) {
                return false;
            }
            for (int i = 1; i < arg.length(); i++) {
                String name = NAMES.get("-" + arg.charAt(i));
                if (name == null) {
                    return false;
                }
                if (kind(name).compareTo(Kind.ONE) >= 0) {
                    String rest = arg.substring(i + 1);
                    return !rest.startsWith("=") && value(name, rest.isEmpty() ? null : rest);
                }
                if (!value(name, null)) {
                    return false;
                }
            }
            return true;
        }

        /** Set option {@code name} (a long name); {@code attached} is its value when written in the same argument. */
        private boolean value(String name, String attached) {
            Kind kind = kind(name);
            if (kind != Kind.MANY && kind != Kind.SPLIT && kind != Kind.COUNT && !seen.add(name)) {
                return false; // picocli: "should be specified only once"
            }
            if (kind == Kind.FLAG || kind == Kind.COUNT) {
                set(name, null);
                return true;
            }
            String v = attached;
            if (v == null) {
                if (next >= args.length) {
                    return false;
                }
                v = args[next++];
            }
            if (v.isEmpty() || v.startsWith("-") || (kind == Kind.SPLIT && !plainList(v))) {
                return false;
            }
            set(name, v);
            return true;
        }

        private static boolean plainList(String v) {
            return !v.contains("\"") && !v.startsWith(",") && !v.endsWith(",") && !v.contains(",,");
        }

        private void set(String name, String v) {
            switch (name) {
                case "--inventory" -> play.inventories.add(v);
                case "--limit" -> play.limit = v;
                case "--tags" -> play.tags.addAll(List.of(v.split(",")));
                case "--skip-tags" -> play.skipTags.addAll(List.of(v.split(",")));
                case "--extra-vars" -> play.extraVars.add(v);
                case "--check" -> play.check = true;
                case "--diff" -> play.diff = true;
                case "--forks" -> play.forks = number(v);
                case "--start-at-task" -> play.startAtTask = v;
                case "--list-tasks" -> play.listTasks = true;
                case "--list-hosts" -> play.listHosts = true;
                case "--force-handlers" -> play.forceHandlers = true;
                case "--user" -> play.user = v;
                case "--private-key" -> play.privateKey = Path.of(v);
                case "--known-hosts" -> play.knownHosts.add(Path.of(v));
                case "--host-key-checking" -> play.hostKeyChecking = v;
                case "--become" -> play.become = true;
                case "--become-user" -> play.becomeUser = v;
                case "--become-method" -> play.becomeMethod = v;
                case "--connection" -> play.connection = v;
                case "--timeout" -> play.connectTimeout = number(v);
                case "--ask-become-pass" -> play.askBecomePass = true;
                case "--vault-password-file" -> play.vaultPasswordFile = Path.of(v);
                case "--events" -> play.events = Path.of(v);
                case "--output" -> play.output = v;
                case "--junit" -> play.junit = Path.of(v);
                case "--journal" -> play.journal = Path.of(v);
                case "--resume" -> play.resume = Path.of(v);
                case "-v" -> {
                    play.verbose = Arrays.copyOf(play.verbose, play.verbose.length + 1);
                    play.verbose[play.verbose.length - 1] = true;
                }
                default -> throw new IllegalStateException("PlayArguments.NAMES names " + name + " but set() does not");
            }
        }

        /** Plain decimal only: picocli reads a leading 0 or 0x as another base, and reports what overflows. */
        private static int number(String v) {
            if (!v.matches("0|[1-9][0-9]{0,8}")) {
                throw new NumberFormatException(v);
            }
            return Integer.parseInt(v);
        }
    }

    private static Kind kind(String name) {
        return switch (name) {
            case "--check", "--diff", "--list-tasks", "--list-hosts", "--force-handlers", "--become",
                 "--ask-become-pass" -> Kind.FLAG;
            case "-v" -> Kind.COUNT;
            case "--tags", "--skip-tags" -> Kind.SPLIT;
            case "--inventory", "--extra-vars", "--known-hosts" -> Kind.MANY;
            default -> Kind.ONE;
        };
    }
}
