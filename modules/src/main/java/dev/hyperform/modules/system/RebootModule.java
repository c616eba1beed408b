package dev.hyperform.modules.system;

import dev.hyperform.module.ArgDef;
import dev.hyperform.module.ArgSpec;
import dev.hyperform.module.ArgType;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.Command;
import dev.hyperform.module.Module;
import dev.hyperform.module.ModuleException;
import dev.hyperform.module.ModuleResult;
import dev.hyperform.module.Target;
import dev.hyperform.transport.ExecResult;
import java.util.List;
import java.util.Map;

/**
 * {@code reboot}: reboot the host, wait until it answers again (the connection is re-opened), and run a test
 * command. The boot id proves the host really rebooted. Always a change: a reboot is what the task asks for.
 */
public final class RebootModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder("Reboot the host and wait until it is back (new boot id, test command passes).")
            .arg(ArgDef.optional("reboot_timeout", ArgType.INT, 600L, "seconds to wait for the host to come back"))
            .arg(ArgDef.optional("pre_reboot_delay", ArgType.INT, 0L, "seconds before rebooting"))
            .arg(ArgDef.optional("post_reboot_delay", ArgType.INT, 0L, "seconds to wait after it answers"))
            .arg(ArgDef.optional("test_command", ArgType.STRING, "whoami", "must succeed after the reboot"))
            .arg(ArgDef.optional("msg", ArgType.STRING, "Reboot initiated by hyperform",
                    "sent to logged-in users (wall) and given to systemd as the reboot's reason (in the journal)"))
            .example("- reboot: {reboot_timeout: 900}\n  when: hugepages_reboot_required")
            .build();

    /** $1 pre_reboot_delay, $2 msg; the reboot starts in the background so the command can return first. */
    private static final String REBOOT = """
            sleep "$1"
            wall "$2" >/dev/null 2>&1 || true
            (sleep 1; systemctl reboot --message="$2" || systemctl reboot || reboot) >/dev/null 2>&1 &
            """;

    @Override
    public String name() {
        return "reboot";
    }

    @Override
    public ArgSpec spec() {
        return SPEC;
    }

    @Override
    public Change plan(Target target, Args args) {
        ExecResult boot = target.probe("cat", "/proc/sys/kernel/random/boot_id");
        return Change.of("reboot " + target.host(), Command.sh(REBOOT,
                List.of(Long.toString(args.integer("pre_reboot_delay")), args.string("msg"))).described("reboot (" + args.string("msg") + ")"))
                .withValues(Map.of("boot_id_before", boot.out().strip()));
    }

    @Override
    public ModuleResult apply(Target target, Args args, Change change) {
        long t0 = System.nanoTime();
        ExecResult r = target.run(change.commands().get(0));
        if (!r.ok()) {
            return ModuleResult.failed("could not start the reboot: " + r.err().strip(), change.values(), List.of(new ModuleResult.Ran(change.commands().get(0), r)));
        }
        String before = String.valueOf(change.values().get("boot_id_before"));
        long deadline = System.nanoTime() + args.integer("reboot_timeout") * 1_000_000_000L;
        String after = before;
        while (after.equals(before)) {
            if (System.nanoTime() > deadline) {
                throw new ModuleException(target.host() + " did not come back with a new boot id within " + args.integer("reboot_timeout") + " s",
                        "check the host's console; raise reboot_timeout");
            }
            sleep(2);
            long left = Math.max(5, (deadline - System.nanoTime()) / 1_000_000_000L);
            target.reconnect(left);
            after = target.probe("cat", "/proc/sys/kernel/random/boot_id").out().strip();
        }
        sleep(args.integer("post_reboot_delay"));
        ExecResult test = target.probe(Command.sh(args.string("test_command")));
        if (!test.ok()) {
            throw new ModuleException("test_command '" + args.string("test_command") + "' failed after the reboot: " + test.err().strip(),
                    "check the host; the reboot itself happened");
        }
        long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
        return ModuleResult.changed("rebooted in " + seconds + " s", Map.of("rebooted", true, "elapsed", seconds, "boot_id", after),
                List.of(new ModuleResult.Ran(change.commands().get(0), r)));
    }

    private static void sleep(long seconds) {
        try {
            Thread.sleep(seconds * 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
