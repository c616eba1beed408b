package dev.hyperform.transport.ssh;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.spec.X509EncodedKeySpec;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import net.i2p.crypto.eddsa.EdDSAEngine;
import net.i2p.crypto.eddsa.EdDSAPrivateKey;
import net.i2p.crypto.eddsa.EdDSAPublicKey;
import net.i2p.crypto.eddsa.spec.EdDSANamedCurveTable;
import net.i2p.crypto.eddsa.spec.EdDSAParameterSpec;
import net.i2p.crypto.eddsa.spec.EdDSAPrivateKeySpec;
import net.i2p.crypto.eddsa.spec.EdDSAPublicKeySpec;
import net.schmizz.sshj.common.SecurityUtils;

/**
 * The first SSH handshake of a run pays for cold cryptography: registering the security provider sshj uses, the
 * first curve25519 key pair and agreement, the first ed25519 signature and verification, the first packet cipher,
 * all in code the JVM has not compiled yet. Done once on a spare core while the command line, the playbook and the
 * inventory are read, that work is off the handshakes' path. It computes throw-away values through the same
 * providers and libraries sshj uses (so the same classes are initialised and compiled) and touches nothing that a
 * connection reads: no keys, files or settings. Failing here changes nothing: the handshake does the same work
 * itself.
 */
public final class CryptoWarmup {
    private CryptoWarmup() {
    }

    /** Start the warm-up on a daemon thread of its own and return at once. */
    public static void start() {
        Thread t = new Thread(CryptoWarmup::run, "hyperform-crypto-warmup");
        t.setDaemon(true);
        t.start();
    }

    /** The warm-up itself; true when every step worked (tests), false when a step failed and was left out. */
    static boolean run() {
        try {
            SshConfig.SHARED.getCipherFactories(); // sshj's configuration, which registers its security provider
            agreeOnCurve25519();
            signAndVerifyEd25519();
            sealOnePacket();
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** Two curve25519 key pairs agree on one secret, as sshj's curve25519-sha256 key exchange computes it. */
    private static void agreeOnCurve25519() throws GeneralSecurityException {
        KeyPairGenerator g = SecurityUtils.getKeyPairGenerator("X25519");
        KeyPair ours = g.generateKeyPair();
        KeyPair theirs = g.generateKeyPair();
        KeyAgreement a = SecurityUtils.getKeyAgreement("X25519");
        a.init(ours.getPrivate());
        a.doPhase(SecurityUtils.getKeyFactory("X25519").generatePublic(
                new X509EncodedKeySpec(theirs.getPublic().getEncoded())), true);
        byte[] secret = a.generateSecret();
        SecurityUtils.getMessageDigest("SHA-256").digest(secret);
    }

    /** An ed25519 signature made and checked, as for a user key's login and a host key's proof. */
    private static void signAndVerifyEd25519() throws GeneralSecurityException {
        EdDSAParameterSpec spec = EdDSANamedCurveTable.getByName("Ed25519");
        byte[] seed = new byte[32];
        seed[0] = 1;
        EdDSAPrivateKey key = new EdDSAPrivateKey(new EdDSAPrivateKeySpec(seed, spec));
        byte[] message = new byte[64];
        EdDSAEngine signer = new EdDSAEngine(MessageDigest.getInstance(spec.getHashAlgorithm()));
        signer.initSign(key);
        signer.update(message);
        byte[] signature = signer.sign();
        // the host key arrives encoded: decoding its point is part of the cost
        EdDSAPublicKey pub = new EdDSAPublicKey(new EdDSAPublicKeySpec(key.getAbyte(), spec));
        EdDSAEngine verifier = new EdDSAEngine(MessageDigest.getInstance(spec.getHashAlgorithm()));
        verifier.initVerify(pub);
        verifier.update(message);
        if (!verifier.verify(signature)) {
            throw new GeneralSecurityException("ed25519 warm-up signature did not verify");
        }
    }

    /** One packet through chacha20-poly1305's parts (the cipher hyperform prefers), as sshj's cipher uses them. */
    private static void sealOnePacket() throws GeneralSecurityException {
        byte[] key = new byte[32];
        Cipher c = SecurityUtils.getCipher("CHACHA");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "CHACHA"), new IvParameterSpec(new byte[8]));
        byte[] sealed = c.doFinal(new byte[64]);
        Mac mac = SecurityUtils.getMAC("POLY1305");
        mac.init(new SecretKeySpec(key, "POLY1305"));
        mac.doFinal(sealed);
    }
}
