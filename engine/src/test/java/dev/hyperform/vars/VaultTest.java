package dev.hyperform.vars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.HyperformException;
import dev.hyperform.playbook.VarsFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A vars file encrypted by the real ansible-vault (ansible-core 2.14) opens with its password; values become secrets. */
class VaultTest {
    private static final Path DIR = Path.of("src/test/resources/vault");

    @Test
    void opensAnAnsibleVaultFileAndMarksEveryValueSecret() {
        Vault.usePasswordFile(DIR.resolve("pass"));
        Map<String, Object> vars = VarsFiles.load(DIR.resolve("secrets.yml"));
        assertTrue(vars.get("db_password") instanceof Secret);
        assertEquals("hunter2-secret", ((Secret) vars.get("db_password")).reveal());
        assertEquals("5432", ((Secret) vars.get("port")).reveal());
        assertEquals("********", String.valueOf(vars.get("db_password")));
        assertTrue(Vault.secrets().contains("hunter2-secret"), "known to the redactor");
        assertEquals("pw hunter2-secret", new Expressions().interpolate("pw ${db_password}", vars, null), "usable in expressions");
    }

    @Test
    void aWrongPasswordIsRefusedBeforeDecrypting(@TempDir Path dir) throws Exception {
        Path wrong = dir.resolve("wrong");
        Files.writeString(wrong, "not-it\n");
        Vault.usePasswordFile(wrong);
        HyperformException e = assertThrows(HyperformException.class, () -> VarsFiles.load(DIR.resolve("secrets.yml")));
        assertTrue(e.getMessage().contains("does not open this file"), e.getMessage());
        Vault.usePasswordFile(DIR.resolve("pass"));
    }

    @Test
    void opensInlineVaultValuesOfEncryptString() {
        Vault.usePasswordFile(DIR.resolve("pass"));
        Map<String, Object> vars = VarsFiles.load(DIR.resolve("inline.yml"));
        assertEquals("replicapool", vars.get("pool"), "plain values stay plain");
        assertTrue(vars.get("ceph_key") instanceof Secret);
        assertEquals("rbd-key AQ==;$(x)", ((Secret) vars.get("ceph_key")).reveal());
        assertTrue(Vault.secrets().contains("rbd-key AQ==;$(x)"), "known to the redactor");
        assertEquals(java.util.List.of("a", "b"), vars.get("mons"));
    }
}
