package dev.hyperform.playbook;

import java.util.List;

/**
 * The actions of {@code meta:}, which act on the run rather than on a host (the runner carries them out); one list
 * for {@code hyperform doc meta} and the unknown-action hint.
 */
public final class MetaActions {
    /** One meta action and what it does. */
    public record Action(String name, String doc) {
    }

    public static final String DESCRIPTION = "act on the run rather than on a host (handled by the runner, not a module)";
    public static final List<Action> ALL = List.of(
            new Action("flush_handlers", "run the handlers notified so far, now"),
            new Action("end_play", "end the play for every host (with when: when it holds for any host)"),
            new Action("end_host", "end the play for the hosts where when holds"),
            new Action("clear_host_errors", "take failed hosts back into the play"),
            new Action("reset_connection", "close the host's connection; the next task opens a new one"),
            new Action("noop", "do nothing"));
    public static final String EXAMPLE = "- meta: flush_handlers\n- meta: end_host\n  when: skip_this_host";

    private MetaActions() {
    }

    /** "a, b, c or d". */
    public static String names() {
        List<String> n = ALL.stream().map(Action::name).toList();
        return String.join(", ", n.subList(0, n.size() - 1)) + " or " + n.get(n.size() - 1);
    }
}
