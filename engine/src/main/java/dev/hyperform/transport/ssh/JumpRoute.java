package dev.hyperform.transport.ssh;

import dev.hyperform.transport.HostUnreachableException;
import java.io.IOException;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.OpenFailException;
import net.schmizz.sshj.connection.channel.direct.DirectConnection;

/**
 * A target reached through a jump host's own persistent connection: a {@code direct-tcpip} channel on that connection
 * (what OpenSSH's ProxyJump opens) carries the target's SSH connection, so the jump host still has one connection
 * and the target's host key is checked end to end, under the target's address, as for a direct host.
 */
public final class JumpRoute implements SshRoute {
    private final SshTransport jump;

    public JumpRoute(SshTransport jump) {
        this.jump = jump;
    }

    public SshTransport jump() {
        return jump;
    }

    @Override
    public void connect(SSHClient client, SshEndpoint target) throws IOException {
        String where = target.address() + ":" + target.port();
        DirectConnection tunnel;
        try {
            tunnel = jump.tunnel(target.address(), target.port());
        } catch (HostUnreachableException e) {
            throw new HostUnreachableException(target.name(), "cannot reach " + target.name() + " (" + where + ") through"
                    + " jump host " + jump.host() + ": the jump host is unreachable: " + e.getMessage(), e.hint(), e);
        } catch (OpenFailException e) {
            boolean refused = e.getReason() == OpenFailException.Reason.ADMINISTRATIVELY_PROHIBITED;
            throw new HostUnreachableException(target.name(), refused
                    ? "jump host " + jump.host() + " refused to open a tunnel to " + target.name() + " (" + where + "): "
                            + e.getMessage()
                    : "jump host " + jump.host() + " could not connect to " + target.name() + " (" + where + "): "
                            + e.getMessage(),
                    refused ? "allow TCP forwarding for " + jump.endpoint().user() + " on " + jump.host()
                            + " (AllowTcpForwarding in its sshd_config)"
                            : "check that " + target.name() + " is up and that its sshd listens on port " + target.port()
                                    + " at " + target.address() + " as seen from " + jump.host(), e);
        }
        client.connectVia(tunnel);
    }

    @Override
    public String via() {
        return " through jump host " + jump.host();
    }
}
