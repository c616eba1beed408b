package dev.hyperform.transport.ssh;

import com.hierynomus.sshj.transport.cipher.BlockCiphers;
import com.hierynomus.sshj.transport.cipher.ChachaPolyCiphers;
import com.hierynomus.sshj.transport.cipher.GcmCiphers;
import net.schmizz.sshj.DefaultConfig;

/**
 * sshj's configuration, built once per run and shared by every host's connection. sshj's own default builds a new
 * list of 33 ciphers per client and initialises each one to see whether it works (Blowfish's key schedule alone
 * showed in the profile); here the list is the ciphers OpenSSH offers by default (chacha20-poly1305, AES-GCM,
 * AES-CTR) and AES-CBC for older servers, all of which the JDK provides.
 */
final class SshConfig extends DefaultConfig {
    static final SshConfig SHARED = new SshConfig();

    private SshConfig() {
    }

    @Override
    protected void initCipherFactories() {
        setCipherFactories(ChachaPolyCiphers.CHACHA_POLY_OPENSSH(), GcmCiphers.AES128GCM(), GcmCiphers.AES256GCM(),
                BlockCiphers.AES128CTR(), BlockCiphers.AES192CTR(), BlockCiphers.AES256CTR(),
                BlockCiphers.AES128CBC(), BlockCiphers.AES192CBC(), BlockCiphers.AES256CBC());
    }
}
