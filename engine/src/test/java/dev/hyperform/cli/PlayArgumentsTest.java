package dev.hyperform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParseResult;

/**
 * The fast path of {@code hyperform play} (PlayArguments) either declines a command line or reads it exactly as
 * picocli does: every field of PlayCommand compared, so a new option that the fast path misreads fails here.
 */
class PlayArgumentsTest {
    /** Fields of PlayCommand that no option sets. */
    private static final Set<String> NOT_OPTIONS = Set.of("journalSaid");

    /** A command line (words split at spaces; {@code ␣} stands for a space inside a word, {@code ∅} for an empty
     * word) and whether the fast path must take it (true) or may decline it (false). */
    record Line(boolean fast, String words) {
        String[] args() {
            return Arrays.stream(words.split(" "))
                    .map(w -> w.equals("∅") ? "" : w.replace('␣', ' '))
                    .toArray(String[]::new);
        }
    }

    static final List<Line> LINES = List.of(
            new Line(true, "play"),
            new Line(true, "play -i localhost, p.yaml"),
            new Line(true, "play p.yaml -i localhost,"),
            new Line(true, "play --inventory=hosts.ini p.yaml q.yaml"),
            new Line(true, "play --inventory hosts.ini p.yaml"),
            new Line(true, "play -ihosts.ini p.yaml"),
            new Line(true, "play -i=hosts.ini p.yaml"),
            new Line(true, "play -i a -i b -e x=1 -e @vars.yml --extra-vars={\"a\":␣1} -e a=b=c p.yaml"),
            new Line(true, "play -i h, -l web p.yaml"),
            new Line(true, "play -i h, -l @site.retry p.yaml"),
            new Line(true, "play -i h, --limit=!db:&web p.yaml"),
            new Line(true, "play -i h, -t a,b -t c --skip-tags=d --skip-tags e,f p.yaml"),
            new Line(true, "play -i h, -t=a p.yaml"),
            new Line(true, "play -i h, -C -D -b -K --list-tasks --list-hosts --force-handlers p.yaml"),
            new Line(true, "play -i h, --check --diff --become --ask-become-pass p.yaml"),
            new Line(true, "play -i h, -CDb p.yaml"),
            new Line(true, "play -i h, -vvv p.yaml"),
            new Line(true, "play -i h, -v -v p.yaml -v"),
            new Line(true, "play -i h, -vC -vv p.yaml"),
            new Line(true, "play -i h, -f 20 -T 3 p.yaml"),
            new Line(true, "play -i h, --forks=0 --timeout=30 p.yaml"),
            new Line(true, "play -i h, -f 999999999 p.yaml"),
            new Line(true, "play -i h, -u root --private-key k --known-hosts a --known-hosts b/c p.yaml"),
            new Line(true, "play -i h, --host-key-checking accept-new --user=admin p.yaml"),
            new Line(true, "play -i h, --become-user u --become-method su -c local p.yaml"),
            new Line(true, "play -i h, --connection=ssh --become-method=sudo --become-user=postgres p.yaml"),
            new Line(true, "play -i h, --vault-password-file v --events e.json --output json --junit j.xml p.yaml"),
            new Line(true, "play -i h, --journal f.jsonl --resume r.jsonl p.yaml"),
            new Line(true, "play --resume r.jsonl"),
            new Line(true, "play -i h, --start-at-task install␣the␣thing p.yaml"),
            new Line(true, "play -i h, -- p.yaml"),
            new Line(true, "play -i h, p.yaml -- q.yaml"),
            new Line(true, "play -i h, -Cih2, p.yaml"),
            new Line(true, "play -i h, -c local -u root -e x=\"quoted\" p.yaml"),
            new Line(true, "play -i h, a=b.yaml C v"),
            new Line(true, "play -i h, --limit=a=b -e=x=y p.yaml"),
            new Line(true, "play -i h, -e x=ü␣→ p.yaml ü.yaml"),
            new Line(true, "play -i h, -l play -u help p.yaml"),
            // picocli refuses these or answers them itself; the fast path must not take them as something else
            new Line(false, "play -i h, -l a -l b p.yaml"),
            new Line(false, "play -i h, -C -C p.yaml"),
            new Line(false, "play -i h, -CC p.yaml"),
            new Line(false, "play -i h, -u a --user b p.yaml"),
            new Line(false, "play -i"),
            new Line(false, "play -i h, p.yaml -l"),
            new Line(false, "play -i h, --check=true p.yaml"),
            new Line(false, "play -i h, --check=false p.yaml"),
            new Line(false, "play -i h, -C=true p.yaml"),
            new Line(false, "play -h"),
            new Line(false, "play --help"),
            new Line(false, "play -V"),
            new Line(false, "play --version"),
            new Line(false, "play -i h, -Ch p.yaml"),
            new Line(false, "play -i h, -f 010 p.yaml"),
            new Line(false, "play -i h, -f 0x10 p.yaml"),
            new Line(false, "play -i h, -f -1 p.yaml"),
            new Line(false, "play -i h, -f abc p.yaml"),
            new Line(false, "play -i h, -f 99999999999 p.yaml"),
            new Line(false, "play -i h, -f +5 p.yaml"),
            new Line(false, "play -i h, -t a,,b p.yaml"),
            new Line(false, "play -i h, -t ,a p.yaml"),
            new Line(false, "play -i h, -t a, p.yaml"),
            new Line(false, "play -i h, -t a,\"b,c\" p.yaml"),
            new Line(false, "play -i h, -l -x p.yaml"),
            new Line(false, "play -i h, -e -x p.yaml"),
            new Line(false, "play -i h, -l --check p.yaml"),
            new Line(false, "play -i h, -- -p.yaml"),
            new Line(false, "play -i h, -- -- p.yaml"),
            new Line(false, "play -i h, -- -i p.yaml"),
            new Line(false, "play -i h, - p.yaml"),
            new Line(false, "play -i h, --unknown p.yaml"),
            new Line(false, "play -i h, -x p.yaml"),
            new Line(false, "play -i h, --inv h2 p.yaml"),
            new Line(false, "play -i h, --Check p.yaml"),
            new Line(false, "play -i h, play"),
            new Line(false, "play -i h, help"),
            new Line(false, "play -i h, inventory"),
            new Line(false, "play -i h, -Ci=h2 p.yaml"),
            new Line(false, "play -i h, -ea=b p.yaml"),
            new Line(false, "play -i h, -e=a=b p.yaml"),
            new Line(false, "play -i h, -i-h p.yaml"),
            new Line(false, "play -i h, -vi h2 p.yaml"),
            new Line(false, "play -i h, --limit= p.yaml"),
            new Line(false, "play -i ∅ p.yaml"),
            new Line(false, "play -i h, ∅"),
            new Line(false, "play -i h, p\u0000.yaml"),
            new Line(false, "play -i h, --private-key k\u0000 p.yaml"),
            new Line(false, "play -i h, @args.txt"),
            new Line(false, "play -i h, --list-hosts --list-hosts p.yaml"),
            new Line(false, "play -vvvx"),
            new Line(false, "inventory -i h, --list"),
            new Line(false, "help play"),
            new Line(false, "--version"));

    @Test
    void theFastPathReadsEveryLineItTakesAsPicocliDoes() throws Exception {
        for (Line line : LINES) {
            assertSame(line.args(), line.fast());
        }
    }

    /** Each option of PlayCommand, however picocli reads it: alone, with a value, with one attached, twice. */
    @Test
    void everyOptionOfPlayCommandInEachFormIsReadAsPicocliReadsIt() throws Exception {
        for (String name : optionNames()) {
            boolean flag = optionField(name).getType() == boolean.class || optionField(name).getType() == boolean[].class;
            String[] base = {"play", "-i", "h,", "p.yaml"};
            // the fast path must take the plain form (a flag alone, an option and its value); the others it may decline
            assertSame(with(base, name), flag);
            assertSame(with(base, name, "7"), !flag);
            assertSame(with(base, name + "=7"), false);
            assertSame(with(base, name, "7", name, "8"), false);
            assertSame(with(base, name, "7,8"), false);
            assertSame(with(base, name + "7"), false);
            assertSame(with(base, name, name), false);
        }
    }

    @Test
    void theFastPathKnowsEveryOptionOfPlayCommandAndNoOther() {
        assertEquals(new TreeSet<>(optionNames()), new TreeSet<>(PlayArguments.names()),
                "a new option of PlayCommand needs its place in PlayArguments (NAMES and set())");
        for (Field f : PlayCommand.class.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers()) && !NOT_OPTIONS.contains(f.getName())) {
                assertTrue(f.isAnnotationPresent(Option.class) || f.isAnnotationPresent(Parameters.class),
                        f.getName() + ": not an option; list it in NOT_OPTIONS if no command line sets it");
            }
        }
    }

    /** Errors found after parsing (a missing argument, a value not supported, a missing file) read the same too. */
    @Test
    void aLineTheFastPathTakesFailsWithPicocliWordsAndExitCode() {
        for (String words : List.of("play", "play -i h,", "play -i h, -c winrm p.yaml",
                "play -i h, --become-method doas p.yaml", "play -i h, -T 0 p.yaml",
                "play -i h, /nonexistent/p.yaml", "play --resume /nonexistent/run.jsonl")) {
            String[] args = words.split(" ");
            assertTrue(PlayArguments.parse(args).isPresent(), "the fast path takes " + words);
            CliRun fast = CliRun.of(Main::run, args);
            assertEquals(CliRun.of(Main::parsedByPicocli, args), fast, words);
            assertTrue(fast.code() == 4 && fast.err().startsWith("ERROR: "), words + ": " + fast);
        }
    }

    /** picocli writes its errors in the default charset whatever System.err's is (a C locale): so does the fast path. */
    @Test
    void aLineTheFastPathTakesWritesItsErrorInPicocliCharset() {
        String[] args = {"play", "-i", "h,", "-c", "wünsch", "p.yaml"};
        assertTrue(PlayArguments.parse(args).isPresent());
        CliRun fast = CliRun.of(StandardCharsets.US_ASCII, Main::run, args);
        assertEquals(CliRun.of(StandardCharsets.US_ASCII, Main::parsedByPicocli, args), fast);
        assertTrue(fast.err().contains("wünsch"), fast.err());
    }

    private static void assertSame(String[] args, boolean mustTake) throws Exception {
        String line = String.join(" ", args);
        Optional<PlayCommand> fast = PlayArguments.parse(args);
        Optional<PlayCommand> picocli = picocli(args);
        if (mustTake) {
            assertTrue(fast.isPresent(), "the fast path declined: " + line);
        }
        if (fast.isEmpty()) {
            return;
        }
        if (picocli.isEmpty()) {
            fail("the fast path took a line picocli refuses or answers itself: " + line);
        }
        for (Field f : PlayCommand.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) || NOT_OPTIONS.contains(f.getName())) {
                continue;
            }
            f.setAccessible(true);
            Object want = f.get(picocli.get());
            Object got = f.get(fast.get());
            if (!Objects.deepEquals(want, got)) {
                fail(line + ": field " + f.getName() + ": picocli " + show(want) + ", fast path " + show(got));
            }
        }
    }

    private static Optional<PlayCommand> picocli(String[] args) {
        try {
            ParseResult result = Main.commandLine(args[0]).parseArgs(args);
            ParseResult play = result.subcommand();
            if (play == null || !play.commandSpec().name().equals("play") || result.isUsageHelpRequested()
                    || result.isVersionHelpRequested() || play.isUsageHelpRequested() || play.isVersionHelpRequested()) {
                return Optional.empty();
            }
            return Optional.of((PlayCommand) play.commandSpec().userObject());
        } catch (CommandLine.ParameterException e) {
            return Optional.empty();
        }
    }

    private static String show(Object o) {
        return o instanceof boolean[] b ? Arrays.toString(b) : String.valueOf(o);
    }

    private static Set<String> optionNames() {
        Set<String> names = new TreeSet<>();
        for (Field f : PlayCommand.class.getDeclaredFields()) {
            if (f.isAnnotationPresent(Option.class)) {
                names.addAll(List.of(f.getAnnotation(Option.class).names()));
            }
        }
        return names;
    }

    private static Field optionField(String name) {
        for (Field f : PlayCommand.class.getDeclaredFields()) {
            if (f.isAnnotationPresent(Option.class) && List.of(f.getAnnotation(Option.class).names()).contains(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException(name);
    }

    private static String[] with(String[] base, String... more) {
        String[] all = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }
}
