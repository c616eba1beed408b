package dev.hyperform.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.Failure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostPatternTest {
    static Inventory inv;

    @BeforeAll
    static void load(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("hosts.ini");
        Files.writeString(f, """
                h0
                [web]
                web[01:03]
                db1
                [dbs]
                db1
                [prod:children]
                web
                dbs
                [spdk]
                node[1:3]
                """);
        inv = InventoryLoader.load(List.of(f.toString()));
    }

    // expected hosts in the order ansible --list-hosts printed them for the same inventory
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "all               | h0 web01 web02 web03 db1 node1 node2 node3",
            "*                 | h0 web01 web02 web03 db1 node1 node2 node3",
            "prod              | web01 web02 web03 db1",
            "web:&dbs          | db1",
            "prod:!dbs         | web01 web02 web03",
            "!dbs:prod         | web01 web02 web03",
            "web[1:2]          | web02 web03",
            "web[0]            | web01",
            "web[-1]           | db1",
            "~web0[12]         | web01 web02",
            "web0*,h0          | web01 web02 web03 h0",
            "spdk:web01        | node1 node2 node3 web01",
            "node*:!node2      | node1 node3",
            "nope              | ''",
            "h0                | h0",
            "localhost         | localhost",
    })
    void selectsLikeAnsible(String pattern, String expected) {
        List<String> want = expected.isBlank() ? List.of() : List.of(expected.split(" "));
        assertEquals(want, inv.select(pattern).stream().map(Host::name).toList());
    }

    @Test
    void retryFileSelectsItsHosts(@TempDir Path dir) throws Exception {
        Path retry = dir.resolve("site.retry");
        Files.writeString(retry, "web02\nnode3\n");
        assertEquals(List.of("web02", "node3"), inv.select("@" + retry).stream().map(Host::name).toList());
    }

    @Test
    void badRegexIsInvalidInputNamingThePattern() {
        InventoryException e = assertThrows(InventoryException.class, () -> inv.select("~web[0"));
        assertEquals(Failure.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains("~web[0"), e.getMessage());
    }

    @Test
    void implicitLocalhostUsesTheLocalConnection() {
        assertEquals("local", inv.host("localhost").orElseThrow().vars().get("ansible_connection"));
        assertTrue(inv.select("all").stream().noneMatch(h -> h.name().equals("localhost")));
    }

    @Test
    void groupNamesAreSortedWithoutAll() {
        assertEquals(List.of("dbs", "prod", "web"), inv.groupNames("db1"));
    }
}
