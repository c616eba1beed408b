package dev.hyperform.transport.ssh;

import dev.hyperform.transport.session.SessionPipe;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import net.schmizz.sshj.connection.channel.direct.Session;

/** The exec channel that runs a shell session's driver, seen as three streams. */
record SshSessionPipe(Session channel, Session.Command command) implements SessionPipe {

    @Override
    public OutputStream stdin() {
        return command.getOutputStream();
    }

    @Override
    public InputStream stdout() {
        return command.getInputStream();
    }

    @Override
    public InputStream stderr() {
        return command.getErrorStream();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException | RuntimeException ignored) {
            // the channel or the connection is already gone
        }
    }
}
