package dev.hyperform.transport.ssh;

import dev.hyperform.transport.HostKeyPolicy;
import java.io.IOException;
import java.security.PublicKey;
import java.util.List;
import java.util.function.Consumer;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;

/**
 * Host key verification with hyperform's policies. A refused key is remembered with the reason (unknown, or
 * changed with both fingerprints and the known_hosts line) so the connection error can say exactly what to do.
 */
final class HostKeyCheck implements HostKeyVerifier {
    private final KnownHosts known;
    private final HostKeyPolicy policy;
    private final Consumer<String> warn;
    private volatile String refusal;

    HostKeyCheck(KnownHosts known, HostKeyPolicy policy, Consumer<String> warn) {
        this.known = known;
        this.policy = policy;
        this.warn = warn;
    }

    String refusal() {
        return refusal;
    }

    @Override
    public boolean verify(String hostname, int port, PublicKey key) {
        String type = KeyType.fromKey(key).toString();
        byte[] blob = new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
        String presented = KnownHosts.fingerprint(blob);
        if (policy == HostKeyPolicy.OFF) {
            warn.accept("host key checking is OFF for " + hostname + ":" + port + " (presented " + type + " "
                    + presented + "): the connection is not protected against impersonation");
            return true;
        }
        KnownHosts.Check c = known.check(hostname, port, type, blob);
        switch (c.verdict()) {
            case KNOWN -> {
                return true;
            }
            case CHANGED -> {
                KnownHosts.Entry old = c.sameType().get(0);
                refusal = "the host key of " + KnownHosts.hostField(hostname, port) + " has CHANGED: known "
                        + type + " " + old.fingerprint() + " (" + old.file() + ":" + old.line() + "), presented "
                        + presented + ". Someone may be impersonating the host, or it was reinstalled. Nothing was run.";
                return false;
            }
            default -> {
                if (policy == HostKeyPolicy.ACCEPT_NEW) {
                    try {
                        known.add(hostname, port, type, blob);
                        return true;
                    } catch (IOException e) {
                        refusal = "cannot record the new host key of " + hostname + ": " + e.getMessage();
                        return false;
                    }
                }
                refusal = "the host key of " + KnownHosts.hostField(hostname, port) + " is unknown (presented "
                        + type + " " + presented + ") and host key checking is strict";
                return false;
            }
        }
    }

    @Override
    public List<String> findExistingAlgorithms(String hostname, int port) {
        return known.knownKeyTypes(hostname, port);
    }
}
