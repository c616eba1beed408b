package dev.hyperform.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hyperform.transport.session.SessionBrokenException;
import java.io.IOException;
import java.net.SocketException;
import java.util.stream.Stream;
import net.schmizz.sshj.connection.ConnectionException;
import net.schmizz.sshj.transport.TransportException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which broken sessions mean the host is unreachable: a session whose SSH transport failed under a running command
 * (the host powered off, the network went) is UNREACHABLE, as ansible-playbook reports it; a shell or channel that
 * ended on a live connection is a failed command.
 */
class ConnectionLostTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("transport EOF read by the session",
                        broken(new TransportException("Broken transport; encountered EOF")), true),
                Arguments.of("transport failure wrapped in an I/O error",
                        broken(new IOException("read failed", new TransportException("Connection reset"))), true),
                Arguments.of("the shell ended (no I/O failure)", broken(null), false),
                Arguments.of("transport failure as a channel's stream reports it",
                        broken(new ConnectionException(new TransportException("Broken transport; encountered EOF"))), true),
                Arguments.of("connection reset", broken(new SocketException("Connection reset")), true),
                Arguments.of("a plain I/O error", broken(new IOException("Pipe closed")), false));
    }

    private static SessionBrokenException broken(Throwable cause) {
        return new SessionBrokenException(true, "reading its output failed", cause);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aSessionEndedByItsConnectionIsTold(String what, SessionBrokenException e, boolean lost) {
        assertEquals(lost, SshTransport.connectionLost(e));
    }
}
