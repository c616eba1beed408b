package dev.hyperform.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.schmizz.sshj.common.SecurityUtils;
import org.junit.jupiter.api.Test;

/** The warm-up really runs the handshake's cryptography, and leaves sshj's choice of provider as sshj makes it. */
class CryptoWarmupTest {

    @Test
    void everyStepRunsThroughTheProvidersSshjUses() {
        String before = SshConfig.SHARED == null ? null : SecurityUtils.getSecurityProvider();
        assertTrue(CryptoWarmup.run(), "a step of the warm-up failed: it would warm nothing on this JVM");
        assertEquals(before, SecurityUtils.getSecurityProvider(), "the warm-up must not change sshj's provider");
    }
}
