package dev.hyperform.transport;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A command that never ran because sudo or su refused to switch user: recognised from the escalation tool's own
 * words on stderr and turned into a failure that says how to give the become password. The password itself is
 * never part of the message (sudo reads it with an empty prompt and does not echo it).
 */
public final class BecomeRefusal {
    private static final Pattern NEEDS_PASSWORD = Pattern.compile(
            "^sudo: (a password is required|a terminal is required to read the password.*)$", Pattern.MULTILINE);
    private static final Pattern WRONG_PASSWORD = Pattern.compile(
            "^sudo: \\d+ incorrect password attempts?$|^su: Authentication failure$", Pattern.MULTILINE);
    private static final Pattern NOT_ALLOWED = Pattern.compile(
            "^(\\S+ is not in the sudoers file.*|Sorry, user \\S+ is not allowed to execute .*)$", Pattern.MULTILINE);
    static final String HOW = "give the become password with -K (asked on the terminal), the environment variable "
            + "HYPERFORM_BECOME_PASSWORD, or ansible_become_password in an ansible-vault encrypted vars file "
            + "(--vault-password-file); the password is never shown in output or events";

    private BecomeRefusal() {
    }

    /** The refusal, when {@code result} is sudo's or su's and not the command's own failure. */
    public static Optional<TransportException> of(String host, Become become, ExecResult result) {
        if (!become.enabled() || result.ok()) {
            return Optional.empty();
        }
        String err = result.err();
        String who = become.method() + " to " + become.user();
        if (NEEDS_PASSWORD.matcher(err).find()) {
            return Optional.of(new TransportException(host, who + " needs a password and none was given ("
                    + firstLine(NEEDS_PASSWORD, err) + ")", HOW, null));
        }
        if (WRONG_PASSWORD.matcher(err).find()) {
            return Optional.of(new TransportException(host, who + " refused the become password given ("
                    + firstLine(WRONG_PASSWORD, err) + ")", "check the password; " + HOW, null));
        }
        if (NOT_ALLOWED.matcher(err).find()) {
            return Optional.of(new TransportException(host, who + " is not allowed for the login user ("
                    + firstLine(NOT_ALLOWED, err) + ")", "allow the login user in the host's sudoers, or log in as "
                    + "a user who may (ansible_user)", null));
        }
        return Optional.empty();
    }

    private static String firstLine(Pattern p, String err) {
        var m = p.matcher(err);
        return m.find() ? m.group().strip() : "";
    }
}
