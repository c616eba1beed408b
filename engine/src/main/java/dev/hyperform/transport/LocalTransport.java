package dev.hyperform.transport;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.PumpStreamHandler;

/**
 * Runs commands on the controller itself ({@code connection: local}, the implicit {@code localhost}) through
 * commons-exec, with the same line, environment, become and stdin handling as SSH.
 */
public final class LocalTransport implements Transport {
    private final String host;

    public LocalTransport(String host) {
        this.host = host;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public ExecResult exec(ExecRequest request) {
        long t0 = System.nanoTime();
        dev.hyperform.transport.CommandLine cl;
        try {
            cl = dev.hyperform.transport.CommandLine.of(request);
        } catch (IllegalArgumentException e) {
            throw new TransportException(host, e.getMessage(), null, e);
        }
        CommandLine cmd = new CommandLine("/bin/sh").addArgument("-c").addArgument(cl.line(), false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        DefaultExecutor ex = DefaultExecutor.builder().get();
        ex.setExitValues(null);
        ex.setStreamHandler(new PumpStreamHandler(out, err, new ByteArrayInputStream(cl.stdin())));
        ExecuteWatchdog dog = null;
        if (!request.timeout().isZero()) {
            dog = ExecuteWatchdog.builder().setTimeout(request.timeout()).get();
            ex.setWatchdog(dog);
        }
        int rc;
        try {
            rc = ex.execute(cmd);
        } catch (IOException e) {
            throw new TransportException(host, "could not run " + request.display() + ": " + e.getMessage(),
                    "check that /bin/sh exists", e);
        }
        if (dog != null && dog.killedProcess()) {
            throw new TransportException(host, "command timed out after " + request.timeout().toSeconds() + " s: "
                    + request.display(), "raise the task's timeout, or find out why it hangs", null);
        }
        return new ExecResult(rc, out.toByteArray(), err.toByteArray(), Duration.ofNanos(System.nanoTime() - t0));
    }

    @Override
    public void close() {
    }
}
