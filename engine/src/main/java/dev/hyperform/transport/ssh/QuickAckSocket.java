package dev.hyperform.transport.ssh;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketOption;
import java.util.Optional;
import javax.net.SocketFactory;

/**
 * A TCP socket that acknowledges what it receives at once (Linux {@code TCP_QUICKACK} after each read) until
 * {@link #settle()}; afterwards an ordinary socket. Why: OpenSSH's sshd turns on TCP_NODELAY only when a session
 * starts, and right after the login it sends two messages of its own (host keys, extension info) that the client has no
 * reason to answer; with the client's delayed ACK (40 ms on Linux) Nagle holds the server's answer to the session
 * channel's open request until that ACK comes: measured 44 ms on every connection, between the login and the
 * channel. The bytes read are untouched; where the option is not available (other systems) nothing changes.
 */
final class QuickAckSocket extends Socket {
    private static final Optional<SocketOption<Boolean>> QUICKACK = quickAck();
    private volatile boolean settled;
    private InputStream in;

    static SocketFactory factory() {
        return new SocketFactory() {
            @Override
            public Socket createSocket() {
                return new QuickAckSocket();
            }

            @Override
            public Socket createSocket(String host, int port) throws IOException {
                return open(new InetSocketAddress(host, port), null);
            }

            @Override
            public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
                return open(new InetSocketAddress(host, port), new InetSocketAddress(local, localPort));
            }

            @Override
            public Socket createSocket(InetAddress host, int port) throws IOException {
                return open(new InetSocketAddress(host, port), null);
            }

            @Override
            public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort) throws IOException {
                return open(new InetSocketAddress(host, port), new InetSocketAddress(local, localPort));
            }
        };
    }

    private static Socket open(InetSocketAddress to, InetSocketAddress from) throws IOException {
        Socket s = new QuickAckSocket();
        if (from != null) {
            s.bind(from);
        }
        s.connect(to);
        return s;
    }

    private static Optional<SocketOption<Boolean>> quickAck() {
        try {
            return Optional.of(jdk.net.ExtendedSocketOptions.TCP_QUICKACK);
        } catch (LinkageError e) {
            return Optional.empty();
        }
    }

    /** From now on ACKs follow the system's usual (delayed) rule. */
    void settle() {
        settled = true;
    }

    boolean settled() {
        return settled;
    }

    @Override
    public synchronized InputStream getInputStream() throws IOException {
        if (in == null) {
            in = new FilterInputStream(super.getInputStream()) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        ackNow();
                    }
                    return b;
                }

                @Override
                public int read(byte[] buf, int off, int len) throws IOException {
                    int n = super.read(buf, off, len);
                    if (n > 0) {
                        ackNow();
                    }
                    return n;
                }
            };
        }
        return in;
    }

    private void ackNow() {
        if (settled || QUICKACK.isEmpty()) {
            return;
        }
        try {
            if (supportedOptions().contains(QUICKACK.get())) {
                setOption(QUICKACK.get(), true);
            } else {
                settled = true;
            }
        } catch (IOException | UnsupportedOperationException e) {
            settled = true; // an ordinary socket, as before
        }
    }
}
