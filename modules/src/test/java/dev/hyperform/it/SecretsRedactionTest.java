package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets reach the commands that need them and nowhere else: values from an ansible-vault file, variables named in
 * a play's secrets list, and no_log tasks never appear in console output or events (local connection, no lab).
 */
class SecretsRedactionTest {

    @Test
    void vaultValuesSecretsListAndNoLogStayOutOfOutputAndEvents(@TempDir Path dir) throws Exception {
        Path vault = Path.of("").toAbsolutePath().getParent().resolve("engine/src/test/resources/vault");
        Files.copy(vault.resolve("secrets.yml"), dir.resolve("secrets.yml"));
        Path inv = Lab.write(dir, "hosts", "localhost ansible_connection=local\n");
        Path pb = Lab.write(dir, "p.yaml", """
                - hosts: localhost
                  gather_facts: false
                  vars_files: [secrets.yml]
                  vars:
                    api_token: tok-98765-zyx
                  secrets: [api_token]
                  tasks:
                    - name: the command gets the real value
                      copy: {content: "${db_password} ${api_token}\\n", dest: "%s/out.txt", mode: '0600'}
                    - name: shown
                      debug: {msg: "db=${db_password} token=${api_token}"}
                    - name: hidden
                      command: echo ${api_token}
                      no_log: true
                      changed_when: false
                """.formatted(dir));
        Lab.Run r = Lab.play(dir, "-i", inv.toString(), pb.toString(), "--vault-password-file", vault.resolve("pass").toString(), "-vvv", "-D");
        assertEquals(ExitCode.OK, r.exitCode(), r.console());
        assertEquals("hunter2-secret tok-98765-zyx\n", Files.readString(dir.resolve("out.txt")));
        for (String secret : List.of("hunter2-secret", "tok-98765-zyx")) {
            assertFalse(r.console().contains(secret), "in console: " + secret);
            assertFalse(r.eventsText().contains(secret), "in events: " + secret);
        }
        assertTrue(r.console().contains("db=******** token=********"), r.console());
    }
}
