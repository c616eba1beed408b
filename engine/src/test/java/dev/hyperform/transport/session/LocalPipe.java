package dev.hyperform.transport.session;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** A session driver run by a local {@code sh} process: the same drivers an SSH channel runs, without a lab. */
final class LocalPipe implements SessionPipe {
    private final Process process;

    private LocalPipe(Process process) {
        this.process = process;
    }

    /** The driver this machine would get (bash where there is bash). */
    static LocalPipe start() throws IOException {
        return start(new ProcessBuilder("sh", "-c", ShellSession.command()));
    }

    /** The given driver. */
    static LocalPipe start(ShellSession.Driver driver) throws IOException {
        return start(new ProcessBuilder("sh", "-c", ShellSession.command(driver)));
    }

    static LocalPipe start(ProcessBuilder pb) throws IOException {
        return new LocalPipe(pb.start());
    }

    Process process() {
        return process;
    }

    @Override
    public OutputStream stdin() {
        return process.getOutputStream();
    }

    @Override
    public InputStream stdout() {
        return process.getInputStream();
    }

    @Override
    public InputStream stderr() {
        return process.getErrorStream();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
