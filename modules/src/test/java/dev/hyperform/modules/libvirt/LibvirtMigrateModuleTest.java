package dev.hyperform.modules.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.Location;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.ModuleException;
import dev.hyperform.module.ModuleResult;
import dev.hyperform.modules.testing.LocalShellTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What libvirt_migrate plans and does, with a test double of {@code virsh} first on PATH: domstate and dumpxml from
 * files; {@code migrate} moves the domain (its state file becomes absent here and running "there", or it fails as
 * told); {@code -c URI} answers for the destination. The real migration runs in MigrateLabTest.
 */
class LibvirtMigrateModuleTest {
    private static final String VHOST = "<disk type='vhostuser' device='disk'><source type='unix' path='/var/tmp/vhost.vm1'/><target dev='vda'/></disk>";
    private static final String RBD = "<disk type='network' device='disk'><source protocol='rbd' name='replicapool/vm1'/><target dev='vdb'/></disk>";
    private static final String FILE = "<disk type='file' device='disk'><source file='/var/lib/vm1.raw'/><target dev='vdc'/></disk>";
    private static final String CDROM = "<disk type='file' device='cdrom'><source file='/var/lib/seed.iso'/><target dev='sda'/><readonly/></disk>";
    private final LibvirtMigrateModule module = new LibvirtMigrateModule();

    private LocalShellTarget virsh(Path dir, String state, String disks, String migrate, boolean check) throws Exception {
        Files.writeString(dir.resolve("domain.xml"), "<domain type='qemu'><name>vm1</name><devices>" + disks + "</devices></domain>");
        Files.writeString(dir.resolve("state"), state);
        Files.writeString(dir.resolve("there"), "");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.writeString(bin.resolve("virsh"), """
                #!/bin/sh
                D=%1$s
                if [ "$1" = -c ]; then
                  shift 2
                  case "$1" in
                    domstate) [ -s $D/there ] && cat $D/there || { echo "error: failed to get domain 'vm1'" >&2; exit 1; } ;;
                    domjobinfo) printf 'Job type:         Completed\\nTotal downtime:   42 ms\\n' ;;
                  esac
                  exit 0
                fi
                case "$1" in
                  domstate) [ -s $D/state ] && cat $D/state || { echo "error: failed to get domain 'vm1'" >&2; exit 1; } ;;
                  dumpxml) cat $D/domain.xml ;;
                  migrate) echo "$*" > $D/migrate.args; %2$s ;;
                  *) echo "the virsh test double does not $1" >&2; exit 1 ;;
                esac
                """.formatted(dir, migrate));
        bin.resolve("virsh").toFile().setExecutable(true);
        return new LocalShellTarget(dir, check, Map.of("PATH", bin + ":/usr/bin:/bin"));
    }

    private Args args(Map<String, Object> raw) {
        return module.spec().validate("libvirt_migrate", raw, Location.UNKNOWN);
    }

    private static final Map<String, Object> ARGS = Map.of("name", "vm1", "destination", "10.0.0.12", "timeout", 30);
    private static final String MOVES = "echo > $D/state; echo running > $D/there";

    @ParameterizedTest(name = "{0} with {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "running  | vhost        | migrate",
            "running  | vhost,rbd    | migrate",
            "running  | vhost,cdrom  | migrate",
            "shut off | vhost        | nothing",
            "''       | vhost        | nothing",
            "running  | vhost,file   | refused",
    })
    void planTable(String state, String disks, String expect, @TempDir Path dir) throws Exception {
        String xml = String.join("", java.util.Arrays.stream(disks.split(",")).map(d -> switch (d) {
            case "vhost" -> VHOST;
            case "rbd" -> RBD;
            case "cdrom" -> CDROM;
            default -> FILE;
        }).toList());
        LocalShellTarget t = virsh(dir, state, xml, MOVES, true);
        if (expect.equals("refused")) {
            ModuleException e = assertThrows(ModuleException.class, () -> module.plan(t, args(ARGS)));
            assertTrue(e.getMessage().contains("vdc (file /var/lib/vm1.raw)") && e.getMessage().contains("leave them behind"), e.getMessage());
            return;
        }
        Change c = module.plan(t, args(ARGS));
        if (expect.equals("nothing")) {
            assertTrue(c.isNone(), c.summary());
            assertTrue(c.summary().contains("not running on this host"), c.summary());
            return;
        }
        assertEquals(1, c.commands().size(), c.commands().toString());
        String display = c.commands().get(0).display();
        assertTrue(display.startsWith("virsh migrate --live --p2p --persistent --undefinesource --unsafe vm1 "
                + "qemu+ssh://root@10.0.0.12/system?keyfile=/etc/libvirt/hyperform-migrate/id_ed25519 tcp://10.0.0.12"), display);
    }

    @Test
    void aMigrationIsTimedAndTheDomainIsFoundOnTheDestinationOnly(@TempDir Path dir) throws Exception {
        LocalShellTarget t = virsh(dir, "running", VHOST, "sleep 0.3; " + MOVES, false);
        Args a = args(ARGS);
        ModuleResult r = module.apply(t, a, module.plan(t, a));
        assertTrue(r.changed() && !r.failed(), r.message());
        assertTrue((double) r.values().get("seconds") >= 0.3, r.values().toString());
        assertEquals(42L, r.values().get("downtime_ms"));
        assertEquals("running", r.values().get("destination_state"));
        assertTrue(Files.readString(dir.resolve("migrate.args")).contains("--live --p2p --persistent --undefinesource --unsafe -- vm1"));
    }

    @Test
    void aFailedMigrationSaysWhyAndWhereTheDomainIs(@TempDir Path dir) throws Exception {
        LocalShellTarget t = virsh(dir, "running", VHOST, "echo 'error: operation failed: job migration-out failed: unable to connect' >&2; exit 1", false);
        Args a = args(ARGS);
        ModuleResult r = module.apply(t, a, module.plan(t, a));
        assertTrue(r.failed(), r.message());
        assertTrue(r.message().contains("failed: error: operation failed: job migration-out failed: unable to connect")
                && r.message().contains("on this host it is now running"), r.message());
    }

    @Test
    void aMigrationThatEndsWithTheDomainStillHereFails(@TempDir Path dir) throws Exception {
        LocalShellTarget t = virsh(dir, "running", VHOST, "true", false);
        Args a = args(ARGS);
        ModuleResult r = module.apply(t, a, module.plan(t, a));
        assertTrue(r.failed(), r.message());
        assertTrue(r.message().contains("running on this host"), r.message());
    }
}
