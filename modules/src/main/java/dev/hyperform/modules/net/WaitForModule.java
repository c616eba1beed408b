package dev.hyperform.modules.net;

import dev.hyperform.module.ArgDef;
import dev.hyperform.module.ArgSpec;
import dev.hyperform.module.ArgType;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.Command;
import dev.hyperform.module.Module;
import dev.hyperform.module.ModuleException;
import dev.hyperform.module.Target;
import dev.hyperform.transport.ExecResult;
import java.util.List;
import java.util.Map;

/**
 * {@code wait_for}: wait until a path is present or absent, a file holds a regex, or a TCP port is open or closed,
 * with a bounded time. Waiting changes nothing, so it is never a change; in check mode it checks once.
 * Ports are probed with the target's {@code ss} (iproute2) listening table.
 */
public final class WaitForModule implements Module {
    private static final String LOOP = """
            end=$(( $(date +%s) + $1 )); kind=$2; a=$3; b=$4
            while :; do
              case "$kind" in
                present) [ -e "$a" ] && exit 0 ;;
                absent) [ ! -e "$a" ] && exit 0 ;;
                regex) [ -r "$a" ] && grep -Eq -- "$b" "$a" && exit 0 ;;
                started) ss -Hltn "sport = :$a" 2>/dev/null | grep -q . && exit 0 ;;
                stopped) ss -Hltn "sport = :$a" 2>/dev/null | grep -q . || exit 0 ;;
              esac
              [ "$(date +%s)" -ge "$end" ] && exit 1
              sleep "$5"
            done
            """;
    private static final ArgSpec SPEC = ArgSpec.builder("Wait for a path, a regex in a file, or a listening TCP port (bounded).")
            .arg(ArgDef.optional("path", ArgType.PATH, null, "file or socket to wait for"))
            .arg(ArgDef.optional("search_regex", ArgType.STRING, null, "extended regex that must appear in path"))
            .arg(ArgDef.optional("port", ArgType.INT, null, "TCP port on the target"))
            .arg(ArgDef.optional("state", ArgType.STRING, "started", "present/started or absent/stopped")
                    .choices("present", "started", "absent", "stopped"))
            .arg(ArgDef.optional("timeout", ArgType.INT, 300L, "seconds before failing"))
            .arg(ArgDef.optional("delay", ArgType.INT, 0L, "seconds to wait before the first check"))
            .arg(ArgDef.optional("sleep", ArgType.INT, 1L, "seconds between checks"))
            .example("- wait_for: {path: /var/tmp/spdk.sock, timeout: 30}")
            .build();

    @Override
    public String name() {
        return "wait_for";
    }

    @Override
    public ArgSpec spec() {
        return SPEC;
    }

    @Override
    public Change plan(Target target, Args args) {
        String state = args.string("state");
        String kind;
        String a;
        String b = "";
        if (args.has("port")) {
            kind = state.equals("absent") || state.equals("stopped") ? "stopped" : "started";
            a = Long.toString(args.integer("port"));
        } else if (args.has("path")) {
            a = args.string("path");
            kind = args.has("search_regex") ? "regex" : (state.equals("absent") || state.equals("stopped") ? "absent" : "present");
            b = args.optString("search_regex").orElse("");
        } else {
            throw ModuleException.invalidArgs(args.location(), "wait_for needs path or port", "add path: or port:");
        }
        long timeout = target.checkMode() ? 0 : args.integer("timeout");
        if (!target.checkMode() && args.integer("delay") > 0) {
            sleep(args.integer("delay"));
        }
        ExecResult r = target.probe(Command.sh(LOOP, List.of(Long.toString(timeout), kind, a, b, Long.toString(args.integer("sleep"))))
                .described("wait for " + kind + " " + a));
        String what = kind + " " + a + (b.isEmpty() ? "" : " ~ /" + b + "/");
        if (!r.ok() && !target.checkMode()) {
            throw new ModuleException("timed out after " + timeout + " s waiting for " + what + " on " + target.host(),
                    "raise timeout, or check why it never happens");
        }
        return Change.none((r.ok() ? "done: " : "not yet (check mode does not wait): ") + what)
                .withValues(Map.of("elapsed_ok", r.ok()));
    }

    private static void sleep(long seconds) {
        try {
            Thread.sleep(seconds * 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
