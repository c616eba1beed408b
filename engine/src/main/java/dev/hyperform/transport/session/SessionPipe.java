package dev.hyperform.transport.session;

import java.io.InputStream;
import java.io.OutputStream;

/** The three streams of the process a {@link ShellSession} drives: an SSH channel, or a local process in tests. */
public interface SessionPipe extends AutoCloseable {
    OutputStream stdin();

    InputStream stdout();

    InputStream stderr();

    @Override
    void close();
}
