package dev.hyperform.modules.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.hyperform.modules.commands.ScriptModule;
import dev.hyperform.modules.net.GetUrlModule;
import dev.hyperform.modules.net.GitModule;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The module contract for get_url (a loopback HTTP server), unarchive, script, git (a local repository) and fetch. */
class MoreModulesContractTest {
    static HttpServer http;
    static final byte[] PAYLOAD = "spdk-release-bytes\n".getBytes(StandardCharsets.UTF_8);
    static final String SHA = FileWrite.sha256(PAYLOAD);

    @BeforeAll
    static void serve() throws Exception {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/r.bin", x -> {
            x.sendResponseHeaders(200, PAYLOAD.length);
            x.getResponseBody().write(PAYLOAD);
            x.close();
        });
        http.start();
    }

    @AfterAll
    static void stop() {
        http.stop(0);
    }

    static String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/r.bin";
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                ModuleContractTest.c("get_url with checksum", new GetUrlModule(), Map.of("url", "URL", "dest", "$D/r.bin",
                        "checksum", "sha256:" + SHA, "mode", "0600"), d -> { },
                        (d, t) -> assertEquals(new String(PAYLOAD, StandardCharsets.UTF_8), ModuleContractTest.read(d, "r.bin"))),
                ModuleContractTest.c("unarchive tar.gz from the controller", new UnarchiveModule(), Map.of("src", "$D/files/a.tar.gz",
                        "dest", "$D/out", "creates", "$D/out/hello.txt"), MoreModulesContractTest::makeTar,
                        (d, t) -> assertEquals("hello\n", ModuleContractTest.read(d, "out/hello.txt"))),
                ModuleContractTest.c("script with arguments and creates", new ScriptModule(), Map.of("cmd", "$D/files/s.sh $D/made \"two words\"",
                        "creates", "$D/made"), MoreModulesContractTest::makeScript,
                        (d, t) -> assertEquals("two words\n", ModuleContractTest.read(d, "made"))),
                ModuleContractTest.c("git clone of a tag", new GitModule(), Map.of("repo", "$D/repo", "dest", "$D/co", "version", "v1"),
                        MoreModulesContractTest::makeRepo, (d, t) -> assertEquals("v1\n", ModuleContractTest.read(d, "co/f"))),
                ModuleContractTest.c("fetch to the controller", new FetchModule(), Map.of("src", "$D/remote.conf", "dest", "$D/fetched/x.conf",
                        "flat", true), d -> ModuleContractTest.write(d, "remote.conf", "k=v\n"),
                        (d, t) -> assertEquals("k=v\n", ModuleContractTest.read(d, "fetched/x.conf"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void contractHolds(ModuleContractTest.Case c, @TempDir Path dir) throws Exception {
        Map<String, Object> args = new java.util.HashMap<>(c.args());
        args.replaceAll((k, v) -> "URL".equals(v) ? url() : v);
        ModuleContractTest.holds(new ModuleContractTest.Case(c.name(), c.module(), args, c.setup(), c.verify()), dir);
    }

    static void makeTar(Path d) {
        sh(d, "mkdir -p files out src && echo hello > src/hello.txt && tar -czf files/a.tar.gz -C src hello.txt");
    }

    static void makeScript(Path d) {
        try {
            Files.createDirectories(d.resolve("files"));
            Files.writeString(d.resolve("files/s.sh"), "#!/bin/sh\necho \"$2\" > \"$1\"\n");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    static void makeRepo(Path d) {
        sh(d, "git init -q repo && cd repo && git config user.email t@t && git config user.name t && echo v1 > f && git add f"
                + " && git commit -qm one && git tag v1 && echo v2 > f && git commit -qam two");
    }

    static void sh(Path d, String script) {
        try {
            Process p = new ProcessBuilder("sh", "-c", script).directory(d.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor() == 0, out);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
