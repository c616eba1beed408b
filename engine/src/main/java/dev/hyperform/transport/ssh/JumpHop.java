package dev.hyperform.transport.ssh;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One hop of an OpenSSH {@code ProxyJump} list: {@code [user@]host[:port]}, {@code ssh://[user@]host[:port]} or an
 * IPv6 address in brackets, {@code [user@][addr]:port}. No user or port means: the jump host's own (for an inventory
 * host, its variables decide).
 */
public record JumpHop(Optional<String> user, String host, OptionalInt port) {

    /** A comma-separated ProxyJump value; {@code none} is the empty list (connect directly). */
    public static List<JumpHop> list(String text) {
        String t = text.trim();
        if (t.equalsIgnoreCase("none")) {
            return List.of();
        }
        List<JumpHop> hops = new ArrayList<>();
        for (String part : t.split(",", -1)) {
            hops.add(parse(part));
        }
        return List.copyOf(hops);
    }

    public static JumpHop parse(String text) {
        String t = text.trim();
        if (t.startsWith("ssh://")) {
            t = t.substring("ssh://".length());
            if (t.endsWith("/")) {
                t = t.substring(0, t.length() - 1);
            }
        }
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty jump host in '" + text + "'");
        }
        Optional<String> user = Optional.empty();
        int at = t.lastIndexOf('@');
        if (at >= 0) {
            if (at == 0) {
                throw new IllegalArgumentException("empty user in jump host '" + text + "'");
            }
            user = Optional.of(t.substring(0, at));
            t = t.substring(at + 1);
        }
        String host = t;
        String port = null;
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed '[' in jump host '" + text + "'");
            }
            host = t.substring(1, close);
            String rest = t.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("unexpected '" + rest + "' after ']' in jump host '" + text + "'");
                }
                port = rest.substring(1);
            }
        } else if (t.indexOf(':') >= 0 && t.indexOf(':') == t.lastIndexOf(':')) {
            host = t.substring(0, t.indexOf(':'));
            port = t.substring(t.indexOf(':') + 1);
        }
        if (host.isEmpty() || host.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("no host name in jump host '" + text + "'");
        }
        return new JumpHop(user, host, port == null ? OptionalInt.empty() : OptionalInt.of(port(port, text)));
    }

    private static int port(String p, String text) {
        try {
            int n = Integer.parseInt(p);
            if (n >= 1 && n <= 65535) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("port '" + p + "' of jump host '" + text + "' is not a number from 1 to 65535");
    }

    /** As written in a ProxyJump list. */
    @Override
    public String toString() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return user.map(u -> u + "@").orElse("") + h + (port.isPresent() ? ":" + port.getAsInt() : "");
    }
}
