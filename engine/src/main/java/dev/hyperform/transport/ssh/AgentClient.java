package dev.hyperform.transport.ssh;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal ssh-agent client (the agent protocol over its Unix socket, Java's own Unix domain sockets): list the
 * agent's keys and have it sign. The private keys never leave the agent.
 */
final class AgentClient {
    private static final byte REQUEST_IDENTITIES = 11;
    private static final byte IDENTITIES_ANSWER = 12;
    private static final byte SIGN_REQUEST = 13;
    private static final byte SIGN_RESPONSE = 14;
    static final int RSA_SHA2_256 = 2;
    static final int RSA_SHA2_512 = 4;

    /** One key the agent holds: its public key blob and comment. */
    record Identity(byte[] blob, String comment) {
    }

    private final Path socket;

    AgentClient(Path socket) {
        this.socket = socket;
    }

    List<Identity> identities() throws IOException {
        ByteBuffer reply = call(new byte[] {REQUEST_IDENTITIES});
        if (reply.get() != IDENTITIES_ANSWER) {
            throw new IOException("ssh-agent refused to list its keys");
        }
        int n = reply.getInt();
        List<Identity> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] blob = string(reply);
            out.add(new Identity(blob, new String(string(reply), StandardCharsets.UTF_8)));
        }
        return out;
    }

    /** The agent's signature blob (string algorithm, string signature) over data. */
    byte[] sign(byte[] keyBlob, byte[] data, int flags) throws IOException {
        ByteBuffer req = ByteBuffer.allocate(1 + 4 + keyBlob.length + 4 + data.length + 4);
        req.put(SIGN_REQUEST).putInt(keyBlob.length).put(keyBlob).putInt(data.length).put(data).putInt(flags);
        ByteBuffer reply = call(req.array());
        if (reply.get() != SIGN_RESPONSE) {
            throw new IOException("ssh-agent refused to sign (is the key still loaded? does it need confirmation?)");
        }
        return string(reply);
    }

    private ByteBuffer call(byte[] message) throws IOException {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ByteBuffer out = ByteBuffer.allocate(4 + message.length).putInt(message.length).put(message).flip();
            while (out.hasRemaining()) {
                ch.write(out);
            }
            ByteBuffer len = read(ch, 4);
            return read(ch, len.getInt());
        }
    }

    private static ByteBuffer read(SocketChannel ch, int n) throws IOException {
        if (n < 0 || n > 1 << 20) {
            throw new IOException("ssh-agent sent a message of " + n + " bytes");
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new IOException("ssh-agent closed the connection");
            }
        }
        return b.flip();
    }

    private static byte[] string(ByteBuffer b) {
        byte[] s = new byte[b.getInt()];
        b.get(s);
        return s;
    }
}
