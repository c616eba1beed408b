package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hyperform.error.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lab host added at run time under a name the inventory does not know (as the benchmark adds its guests): the
 * next play connects with the address, port, user, key and known_hosts given to add_host, and a host added with
 * a port nothing listens on is unreachable, so the port really is the one used.
 */
@Tag("lab")
class AddHostLabTest {

    @Test
    void anAddedHostIsReachedWithTheConnectionVariablesItWasAddedWith(@TempDir Path dir) throws Exception {
        Map<String, String> lab = labVars();
        Path inv = Lab.write(dir, "hosts", "localhost ansible_connection=local\n");
        Path pb = Lab.write(dir, "p.yaml", """
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - name: add the guests
                      add_host:
                        name: ${item.name}
                        groups: guests
                        ansible_host: %s
                        ansible_port: ${item.port}
                        ansible_user: %s
                        ansible_ssh_private_key_file: %s
                        hyperform_known_hosts: %s
                      loop: [{name: guest-a, port: 22}, {name: guest-closed, port: 2}]
                - hosts: guests
                  gather_facts: false
                  tasks:
                    - {name: hostname, command: cat /etc/hostname, changed_when: false}
                """.formatted(lab.get("ansible_host"), lab.get("ansible_user"), lab.get("ansible_ssh_private_key_file"),
                lab.get("hyperform_known_hosts")));
        Lab.Run run = Lab.play(dir, "-i", inv.toString(), pb.toString());
        var results = run.results("hostname");
        String a = results.stream().filter(r -> r.path("host").asText().equals("guest-a")).findFirst().orElseThrow()
                .path("result").path("stdout").asText();
        String closed = results.stream().filter(r -> r.path("host").asText().equals("guest-closed")).findFirst()
                .orElseThrow().path("status").asText();
        assertEquals("node1", a.strip(), run.console());
        assertEquals("unreachable", closed, run.console());
        assertEquals(ExitCode.UNREACHABLE, run.exitCode(), run.console());
    }

    /** node1's address and the lab-wide connection variables, from the inventory the lab wrote. */
    private static Map<String, String> labVars() throws Exception {
        Map<String, String> vars = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Lab.INVENTORY)) {
            String l = line.strip();
            if (l.startsWith("node1 ")) {
                vars.put("ansible_host", l.replaceAll(".*ansible_host=(\\S+).*", "$1"));
            } else if (l.matches("(ansible_user|ansible_ssh_private_key_file|hyperform_known_hosts)=.*")) {
                vars.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1));
            }
        }
        return vars;
    }
}
