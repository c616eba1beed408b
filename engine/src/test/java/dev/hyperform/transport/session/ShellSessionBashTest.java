package dev.hyperform.transport.session;

/** The session's bash driver (where the host has bash) against hostile output: see {@link ShellSessionContract}. */
class ShellSessionBashTest extends ShellSessionContract {

    ShellSessionBashTest() {
        super(ShellSession.Driver.BASH);
    }
}
