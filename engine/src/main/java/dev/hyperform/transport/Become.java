package dev.hyperform.transport;

import dev.hyperform.vars.Secret;
import java.util.Optional;

/**
 * Privilege escalation for one command: method ({@code sudo} or {@code su}), the user to become and, when the
 * method asks for one, the password (a {@link Secret}, sent on stdin, never on a command line).
 */
public record Become(boolean enabled, String method, String user, Optional<Secret> password) {
    public static final Become NONE = new Become(false, "sudo", "root", Optional.empty());

    public static Become sudo(String user) {
        return new Become(true, "sudo", user, Optional.empty());
    }
}
