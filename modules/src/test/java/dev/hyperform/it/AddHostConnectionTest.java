package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ssh-argument variables given to add_host are read when a later play connects to the added host, as
 * inventory ones are: an option hyperform's SSH client cannot honour is refused, naming the variable (before any
 * connection is made; the address is loopback). The lab test {@code AddHostLabTest} covers address, port, user, key.
 */
class AddHostConnectionTest {

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ansible_ssh_common_args | -o Tunnel=yes
            ansible_ssh_extra_args  | -o Tunnel=yes
            ansible_ssh_args        | -o Tunnel=yes
            """)
    void sshArgumentsOfAnAddedHostAreRead(String variable, String value, @TempDir Path dir) throws Exception {
        Path inv = Lab.write(dir, "hosts", "localhost ansible_connection=local\n");
        Path pb = Lab.write(dir, "p.yaml", """
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - add_host: {name: guest, ansible_host: 127.0.0.1, ansible_port: 1, %s: "%s"}
                - hosts: guest
                  gather_facts: false
                  tasks:
                    - {name: on guest, command: "true"}
                """.formatted(variable, value));
        // the built-in client refuses the option it lacks, naming the variable it was read from (smart would hand the
        // line to OpenSSH's client, which takes every option)
        Lab.Run run = Lab.play(dir, "-i", inv.toString(), pb.toString(), "-c", "ssh");
        JsonNode r = run.results("on guest").stream().findFirst().orElseThrow(() -> new AssertionError(run.console()));
        assertEquals("guest", r.path("host").asText());
        String message = r.path("message").asText();
        assertTrue(message.contains(variable) && message.contains("Tunnel"), message);
    }
}
