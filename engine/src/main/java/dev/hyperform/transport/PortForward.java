package dev.hyperform.transport;

/**
 * A TCP endpoint on the controller that reaches an address as seen from a host: a local port forwarded over the
 * host's SSH connection, or the address itself when the host is the controller. Closing it stops the forward.
 */
public interface PortForward extends AutoCloseable {

    /** Where the controller connects (127.0.0.1 for a forward). */
    String localAddress();

    int localPort();

    @Override
    void close();

    /** A forward at 127.0.0.1:{@code port}; closing it runs {@code stop}. */
    static PortForward loopback(int port, Runnable stop) {
        return new PortForward() {
            @Override
            public String localAddress() {
                return "127.0.0.1";
            }

            @Override
            public int localPort() {
                return port;
            }

            @Override
            public void close() {
                stop.run();
            }
        };
    }

    static PortForward direct(String address, int port) {
        return new PortForward() {
            @Override
            public String localAddress() {
                return address;
            }

            @Override
            public int localPort() {
                return port;
            }

            @Override
            public void close() {
                // nothing forwarded
            }
        };
    }
}
