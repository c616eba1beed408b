package dev.hyperform.run;

/**
 * Become as the command line asks for it ({@code -b}, {@code --become-user}, {@code --become-method}). As in
 * ansible-playbook these are the lowest layer: play, role, block and task keywords override them, and the
 * {@code ansible_become*} variables override those.
 */
public record BecomeDefaults(boolean enabled, String user, String method) {
    public static final BecomeDefaults NONE = new BecomeDefaults(false, null, null);
}
