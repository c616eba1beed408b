package dev.hyperform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code -e @vars.yml} and {@code -l @retryfile} as Ansible users type them, with and without a space: the file
 * reaches hyperform (picocli's own @file expansion would replace it with the file's words).
 */
class AtFileArgumentsTest {
    @TempDir
    Path dir;

    static Stream<Arguments> extraVarsFiles() {
        return Stream.of(
                Arguments.of("vars.yml", "greeting: hello from yaml\n", "hello from yaml", true),
                Arguments.of("vars.yml", "greeting: hello from yaml\n", "hello from yaml", false),
                Arguments.of("vars.json", "{\"greeting\": \"hello from json\"}\n", "hello from json", true),
                Arguments.of("vars.json", "{\"greeting\": \"hello from json\"}\n", "hello from json", false));
    }

    @ParameterizedTest(name = "-e @{0} (space: {3})")
    @MethodSource("extraVarsFiles")
    void extraVarsFromAFile(String file, String content, String expected, boolean space) throws IOException {
        Path vars = Files.writeString(dir.resolve(file), content);
        Path book = Files.writeString(dir.resolve("site.yml"), """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - debug: {msg: "greeting=${greeting}"}
                """);
        Path inv = Files.writeString(dir.resolve("hosts.ini"), "local1 ansible_connection=local\n");
        List<String> args = new ArrayList<>(List.of("play", "-i", inv.toString()));
        args.addAll(space ? List.of("-e", "@" + vars) : List.of("-e@" + vars));
        args.add(book.toString());
        Result r = run(args);
        assertEquals(0, r.code(), r.text());
        assertTrue(r.text().contains("greeting=" + expected), r.text());
    }

    @ParameterizedTest(name = "-l @retryfile (space: {0})")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void limitFromARetryFile(boolean space) throws IOException {
        Path retry = Files.writeString(dir.resolve("site.retry"), "node2\nnode3\n");
        Path book = Files.writeString(dir.resolve("site.yml"), "- hosts: all\n  tasks: []\n");
        Path inv = Files.writeString(dir.resolve("hosts.ini"), "node1\nnode2\nnode3\n");
        List<String> args = new ArrayList<>(List.of("play", "-i", inv.toString(), "--list-hosts"));
        args.addAll(space ? List.of("-l", "@" + retry) : List.of("-l@" + retry));
        args.add(book.toString());
        Result r = run(args);
        assertEquals(0, r.code(), r.text());
        assertTrue(r.text().contains("hosts (2):\n      node2\n      node3\n"), r.text());
    }

    record Result(int code, String text) {
    }

    static synchronized Result run(List<String> args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try (PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            System.setErr(capture);
            code = Main.run(args.toArray(String[]::new));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new Result(code, buf.toString(StandardCharsets.UTF_8));
    }
}
