package dev.hyperform.transport;

/** How SSH host keys are checked: {@code strict} (default), {@code accept-new}, or {@code off} (loud warning). */
public enum HostKeyPolicy {
    STRICT, ACCEPT_NEW, OFF;

    public static HostKeyPolicy parse(String text) {
        return switch (text.trim().toLowerCase().replace('_', '-')) {
            case "strict", "yes", "true" -> STRICT;
            case "accept-new" -> ACCEPT_NEW;
            case "off", "no", "false" -> OFF;
            default -> throw new IllegalArgumentException("host key policy must be strict, accept-new or off, not '" + text + "'");
        };
    }
}
