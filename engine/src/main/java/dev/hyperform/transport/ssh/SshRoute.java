package dev.hyperform.transport.ssh;

import java.io.IOException;
import net.schmizz.sshj.SSHClient;

/** How a host's SSH connection reaches it: a TCP connection from the controller, or a tunnel through a jump host. */
public interface SshRoute {
    SshRoute DIRECT = new SshRoute() {
        @Override
        public void connect(SSHClient client, SshEndpoint target) throws IOException {
            client.connect(target.address(), target.port());
        }

        @Override
        public String via() {
            return "";
        }
    };

    /** Connect the (not yet connected) client to the target's sshd. */
    void connect(SSHClient client, SshEndpoint target) throws IOException;

    /** For messages: {@code ""} or {@code " through jump host NAME"}. */
    String via();
}
