package dev.hyperform.transport.ssh;

import java.io.IOException;
import java.security.PrivateKey;
import java.security.PublicKey;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.method.AuthPublickey;

/** Public key authentication with a key held by ssh-agent: sshj builds the request, the agent signs it. */
final class AgentAuth extends AuthPublickey {
    private final AgentClient agent;
    private final AgentClient.Identity identity;
    private final KeyType type;

    private AgentAuth(AgentClient agent, AgentClient.Identity identity, KeyProvider provider, KeyType type) {
        super(provider);
        this.agent = agent;
        this.identity = identity;
        this.type = type;
    }

    static AgentAuth of(AgentClient agent, AgentClient.Identity identity) throws IOException {
        PublicKey pub;
        try {
            pub = new Buffer.PlainBuffer(identity.blob()).readPublicKey();
        } catch (Buffer.BufferException e) {
            throw new IOException("ssh-agent key '" + identity.comment() + "' cannot be read: " + e.getMessage(), e);
        }
        KeyType type = KeyType.fromKey(pub);
        KeyProvider provider = new KeyProvider() {
            @Override
            public PrivateKey getPrivate() throws IOException {
                throw new IOException("the private key stays in ssh-agent");
            }

            @Override
            public PublicKey getPublic() {
                return pub;
            }

            @Override
            public KeyType getType() {
                return type;
            }
        };
        return new AgentAuth(agent, identity, provider, type);
    }

    private String algorithm() {
        return type == KeyType.RSA ? "rsa-sha2-512" : type.toString();
    }

    @Override
    protected SSHPacket putPubKey(SSHPacket reqBuf) {
        reqBuf.putString(algorithm()).putString(identity.blob());
        return reqBuf;
    }

    @Override
    protected SSHPacket putSig(SSHPacket reqBuf) throws UserAuthException {
        byte[] data = new Buffer.PlainBuffer().putString(params.getTransport().getSessionID()).putBuffer(reqBuf).getCompactData();
        try {
            reqBuf.putString(agent.sign(identity.blob(), data, type == KeyType.RSA ? AgentClient.RSA_SHA2_512 : 0));
        } catch (IOException e) {
            throw new UserAuthException("ssh-agent could not sign with '" + identity.comment() + "': " + e.getMessage(), e);
        }
        return reqBuf;
    }
}
