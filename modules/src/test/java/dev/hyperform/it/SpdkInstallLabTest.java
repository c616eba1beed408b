package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spdk role's {@code source} and {@code prebuilt} install paths on lab hosts. SPDK itself cannot be fetched or
 * built here, so node1 clones the declared TEST DOUBLE of SPDK's source tree (lab/spdk-double/source-tree, its
 * "build" installs the SPDK JSON-RPC test double as bin/vhost) from a local git repository tagged v23.09; the rest
 * is the production path: the real build dependencies from Debian, git clone at the tag, configure flags, make,
 * install, the build stamp, the systemd unit, the declared controllers, packing and fetching the install tree, and
 * node2 unpacking it (prebuilt). A second run changes nothing; new configure flags rebuild.
 */
@Tag("lab")
class SpdkInstallLabTest {

    @Test
    void sourceBuildThenPrebuiltOnAnotherNode(@TempDir Path dir) throws Exception {
        Path home = Lab.home();
        Path tarball = dir.resolve("spdk-install.tar.gz");
        Lab.Run seed = Lab.play(dir, "-i", Lab.INVENTORY.toString(), Lab.write(dir, "seed.yaml", """
                - hosts: node1
                  tasks:
                    - apt: {name: [git, make], state: present, update_cache: true, cache_valid_time: 3600}
                    - file: {path: /srv/spdk-src, state: absent}
                    - copy: {src: %s/lab/spdk-double/source-tree/, dest: /srv/spdk-src, mode: '0755'}
                    - copy: {src: %s/lab/spdk-double/spdk-rpc-double, dest: /srv/spdk-src/spdk-rpc-double, mode: '0755'}
                    - shell: git init -q -b master && git add -A && git -c user.email=lab@hf -c user.name=lab commit -qm 'SPDK test double' && git tag v23.09
                      args: {chdir: /srv/spdk-src}
                    - file: {path: /opt/spdk, state: absent}
                """.formatted(home, home)).toString());
        assertEquals(ExitCode.OK, seed.exitCode(), seed.console());

        Path pb1 = Lab.write(dir, "source.yaml", "- hosts: node1\n  become: true\n  roles: [" + home.resolve("playbooks/roles/spdk") + "]\n");
        String vars = "{\"spdk_install_method\": \"source\", \"spdk_git_url\": \"file:///srv/spdk-src\", \"spdk_prefix\": \"/opt/spdk\","
                + " \"spdk_vhost_binary\": \"/opt/spdk/bin/vhost\", \"spdk_prebuilt_export\": true, \"spdk_prebuilt_tarball\": \"" + tarball + "\"}";
        String[] source = {"-i", Lab.INVENTORY.toString(), "-i", home.resolve("inventories/lab").toString(), pb1.toString(), "-e", vars};
        Lab.Run built = Lab.play(dir, source);
        assertEquals(ExitCode.OK, built.exitCode(), built.console());
        assertEquals("--with-rbd", Lab.ssh("node1", "cat /opt/spdk/share/spdk/configure-flags"));
        assertEquals("active", Lab.ssh("node1", "systemctl is-active spdk-vhost"));
        assertTrue(Lab.ssh("node1", "systemctl cat spdk-vhost").contains("ExecStart=/opt/spdk/bin/vhost -S /var/tmp"));
        assertEquals("socket socket", Lab.ssh("node1", "stat -c %F /var/tmp/vhost.vm1-0 /var/tmp/vhost.vm2-0 | sed 's/^.* //' | xargs"));
        assertTrue(Files.size(tarball) > 0, "the install tree was fetched to the controller");
        assertEquals(0, Lab.play(dir, source).recap("node1").path("changed").asInt(), "second run rebuilt or changed something");

        String[] newFlags = Lab.plus(source, "-e", "{\"spdk_configure_flags\": [\"--with-rbd\", \"--with-crypto\"]}");
        Lab.Run check = Lab.play(dir, Lab.plus(newFlags, "--check"));
        assertEquals("changed", check.results("spdk : configure --with-rbd --with-crypto").get(0).path("status").asText(), check.console());
        assertEquals("--with-rbd", Lab.ssh("node1", "cat /opt/spdk/share/spdk/configure-flags"), "check mode rebuilt");
        Lab.Run rebuilt = Lab.play(dir, newFlags);
        assertEquals(ExitCode.OK, rebuilt.exitCode(), rebuilt.console());
        assertEquals("--with-rbd --with-crypto", Lab.ssh("node1", "cat /opt/spdk/share/spdk/configure-flags"));
        assertEquals(0, Lab.play(dir, newFlags).recap("node1").path("changed").asInt());

        Lab.ssh("node2", "rm -rf /opt/spdk");
        Path pb2 = Lab.write(dir, "prebuilt.yaml", "- hosts: node2\n  become: true\n  roles: [" + home.resolve("playbooks/roles/spdk") + "]\n");
        String[] prebuilt = {"-i", Lab.INVENTORY.toString(), "-i", home.resolve("inventories/lab").toString(), pb2.toString(), "-e",
                "{\"spdk_install_method\": \"prebuilt\", \"spdk_prefix\": \"/opt/spdk\", \"spdk_vhost_binary\": \"/opt/spdk/bin/vhost\","
                        + " \"spdk_prebuilt_tarball\": \"" + tarball + "\"}"};
        Lab.Run unpacked = Lab.play(dir, prebuilt);
        assertEquals(ExitCode.OK, unpacked.exitCode(), unpacked.console());
        assertEquals("--with-rbd --with-crypto", Lab.ssh("node2", "cat /opt/spdk/share/spdk/configure-flags"), "node2 runs node1's build");
        assertTrue(Lab.ssh("node2", "cat /opt/spdk/.hyperform-build").contains("flags=--with-rbd --with-crypto"));
        assertEquals("active", Lab.ssh("node2", "systemctl is-active spdk-vhost"));
        assertEquals("socket socket", Lab.ssh("node2", "stat -c %F /var/tmp/vhost.vm1-0 /var/tmp/vhost.vm2-0 | sed 's/^.* //' | xargs"));
        assertEquals(0, Lab.play(dir, prebuilt).recap("node2").path("changed").asInt());

        // back to the lab's own SPDK setup (the double installed directly), for the other lab tests
        for (String pb : new String[] {pb1.toString(), pb2.toString()}) {
            Lab.Run restore = Lab.play(dir, "-i", Lab.INVENTORY.toString(), "-i", home.resolve("inventories/lab").toString(), pb,
                    "-e", "spdk_double_source=" + home.resolve("lab/spdk-double/spdk-rpc-double"));
            assertEquals(ExitCode.OK, restore.exitCode(), restore.console());
        }
    }
}
