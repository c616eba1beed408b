package dev.hyperform.transport.ssh;

import dev.hyperform.inventory.InventoryWords;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The one {@code ProxyCommand} form that means a jump host: {@code ssh [-q] [-p PORT] [-l USER] -W %h:%p [USER@]HOST}
 * (the idiom from before OpenSSH had ProxyJump). It becomes the same single hop as {@code ProxyJump=[USER@]HOST[:PORT]};
 * any other command is refused, as hyperform does not start an ssh client.
 */
final class ProxyCommand {
    private ProxyCommand() {
    }

    static List<JumpHop> hops(String command) {
        if (command.trim().equalsIgnoreCase("none")) {
            return List.of();
        }
        List<String> w = InventoryWords.split(command);
        if (w.isEmpty() || !(w.get(0).equals("ssh") || w.get(0).endsWith("/ssh"))) {
            throw unsupported(command);
        }
        String user = null;
        String port = null;
        String dest = null;
        boolean forwards = false;
        for (int i = 1; i < w.size(); i++) {
            String a = w.get(i);
            switch (a) {
                case "-q" -> { }
                case "-W" -> {
                    if (i + 1 >= w.size() || !w.get(++i).equals("%h:%p")) {
                        throw unsupported(command);
                    }
                    forwards = true;
                }
                case "-p" -> port = i + 1 < w.size() ? w.get(++i) : null;
                case "-l" -> user = i + 1 < w.size() ? w.get(++i) : null;
                default -> {
                    if (a.startsWith("-") || dest != null) {
                        throw unsupported(command);
                    }
                    dest = a;
                }
            }
        }
        if (!forwards || dest == null) {
            throw unsupported(command);
        }
        JumpHop hop = JumpHop.parse(dest);
        if (hop.port().isPresent()) {
            throw unsupported(command); // ssh's destination has no :port
        }
        Optional<String> login = hop.user().isPresent() ? hop.user() : Optional.ofNullable(user);
        return List.of(new JumpHop(login, hop.host(),
                port == null ? OptionalInt.empty() : JumpHop.parse("h:" + port).port()));
    }

    private static IllegalArgumentException unsupported(String command) {
        return new IllegalArgumentException("'" + command + "' is not of the form 'ssh [-q] [-p PORT] [-l USER] -W %h:%p "
                + "[USER@]HOST' (hyperform starts no ssh client); write -o ProxyJump=[USER@]HOST[:PORT] instead");
    }
}
