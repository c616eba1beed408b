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

    /**
     * The given driver, in a UTF-8 locale as on most hosts: a driver that counted the script's characters where the
     * controller counts its bytes would then wait for bytes that never come.
     */
    static LocalPipe start(ShellSession.Driver driver) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", ShellSession.command(driver));
        pb.environment().remove("LC_ALL");
        pb.environment().remove("LC_CTYPE");
        pb.environment().put("LANG", "C.UTF-8");
        return start(pb);
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
