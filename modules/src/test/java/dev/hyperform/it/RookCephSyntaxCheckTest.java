package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code hyperform syntax-check} of the cluster play validates every manifest of the rook_ceph role offline (its
 * upstream files and its rendered templates, with and without the example inventory, whose host variables fill the
 * CephCluster's node list) against rook v1.10.10's CRD schemas and the core kinds' model: the play passes, and a wrong
 * field in any one of them fails it naming the file, the object and the field.
 */
class RookCephSyntaxCheckTest {

    private static final String EXAMPLE = Lab.home().resolve("inventories/hci-3node").toString();

    @Test
    void theClusterPlayWithTheRookRolePassesSyntaxCheckWithAndWithoutTheExampleInventory() {
        String[] r = K8sSyntaxCheckTest.check(Lab.home().resolve("playbooks/cluster.yaml"));
        assertEquals(String.valueOf(ExitCode.OK), r[0], r[1]);
        String[] example = K8sSyntaxCheckTest.check(Lab.home().resolve("playbooks/cluster.yaml"), "-i", EXAMPLE);
        assertEquals(String.valueOf(ExitCode.OK), example[0], example[1]);
    }

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "templates/cluster.yaml.ftl  | '    count: ${rook_ceph_mon_count}'          | '    count: \"${rook_ceph_mon_count}\"'  | cluster.yaml.ftl (rendered for hci1):| CephCluster rook-ceph: /spec/mon/count",
        "templates/cluster.yaml.ftl  | '    useAllDevices: false'                   | '    useAllDevice: false'                 | cluster.yaml.ftl (rendered for hci1):| CephCluster rook-ceph: /spec/storage",
        "templates/cluster.yaml.ftl  | '          - name: \"${device}\"'           | '          - nmae: \"${device}\"'         | cluster.yaml.ftl (rendered for hci1):| CephCluster rook-ceph: /spec/storage/nodes/0/devices/0",
        "templates/pool.yaml.ftl     | '  failureDomain: host'                     | '  failureDomian: host'                  | pool.yaml.ftl (rendered for hci1):| CephBlockPool replicapool: /spec",
        "templates/pool.yaml.ftl     | 'allowVolumeExpansion: true'                | 'allowVolumeExpansion: \"yes\"'          | pool.yaml.ftl (rendered for hci1):| StorageClass rook-ceph-block",
        "templates/operator.yaml.ftl | '  replicas: 1'                             | '  replicas: one'                        | operator.yaml.ftl (rendered for hci1):| Deployment rook-ceph-operator",
        "templates/toolbox.yaml.ftl  | '          tty: true'                       | '          teletype: true'               | toolbox.yaml.ftl (rendered for hci1): | Deployment rook-ceph-tools",
        "files/common.yaml           | '    verbs: [\"get\"]'                      | '    verbs: get'                          | common.yaml:                 | ClusterRole cephfs-csi-nodeplugin",
    })
    void aWrongFieldInAnyManifestOfTheRoleFailsSyntaxCheck(String file, String from, String to, String where, String what,
                                                          @TempDir Path dir) throws Exception {
        Path role = Lab.home().resolve("playbooks/roles/rook_ceph");
        Path copy = dir.resolve("roles/rook_ceph");
        try (Stream<Path> files = Files.walk(role)) {
            for (Path p : files.toList()) {
                Path target = copy.resolve(role.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        Path play = Lab.write(dir, "cluster.yaml", "- hosts: hci\n  roles: [rook_ceph]\n");
        assertEquals(String.valueOf(ExitCode.OK), K8sSyntaxCheckTest.check(play, "-i", EXAMPLE)[0], "the unchanged copy passes");
        String text = Files.readString(copy.resolve(file));
        assertTrue(text.contains(from + "\n"), file + " has the line to break: " + from);
        Files.writeString(copy.resolve(file), text.replaceFirst(java.util.regex.Pattern.quote(from + "\n"), java.util.regex.Matcher.quoteReplacement(to + "\n")));
        String[] r = K8sSyntaxCheckTest.check(play, "-i", EXAMPLE);
        assertEquals(String.valueOf(ExitCode.INVALID_INPUT), r[0], r[1]);
        assertTrue(r[1].contains(where) && r[1].contains(what), r[1]);
    }
}
