package dev.hyperform.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.ExitCode;
import dev.hyperform.module.ApiCall;
import dev.hyperform.module.ArgDef;
import dev.hyperform.module.ArgSpec;
import dev.hyperform.module.ArgType;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.Command;
import dev.hyperform.module.Module;
import dev.hyperform.module.ModuleException;
import dev.hyperform.module.Target;
import dev.hyperform.output.Event;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A change may hold API calls as well as shell commands: check mode plans both without making either, the real
 * run makes exactly the planned ones in order, and events tell {@code probe}/{@code run}/{@code planned} and
 * {@code api}/shell apart. The "API" here is a map the test module reads and writes.
 */
class ApiOperationTest {
    private static final String LOCAL = "[g]\nh1\n[g:vars]\nansible_connection=local\n";

    /** Sets key=value in a map standing for an API's objects: reads it first, writes only when it differs. */
    static final class ApiTestModule implements Module {
        final Map<String, String> store = new ConcurrentHashMap<>();

        @Override
        public String name() {
            return "api_t";
        }

        @Override
        public ArgSpec spec() {
            return ArgSpec.builder("runner test module with API calls")
                    .arg(ArgDef.required("key", ArgType.STRING, "object name"))
                    .arg(ArgDef.required("value", ArgType.STRING, "wanted value"))
                    .arg(ArgDef.optional("refuse", ArgType.BOOL, false, "the API refuses the write"))
                    .build();
        }

        @Override
        public Change plan(Target target, Args args) {
            String key = args.string("key");
            String now = target.probeApi("get " + key, () -> store.get(key));
            if (args.string("value").equals(now)) {
                return Change.none(key + " is " + now);
            }
            ApiCall put = ApiCall.of("apply", "thing " + key, () -> {
                if (args.bool("refuse")) {
                    throw new ModuleException("forbidden: user 'test' cannot apply thing " + key, "ask for rights");
                }
                store.put(key, args.string("value"));
                return "configured";
            });
            return Change.of("set " + key, put, Command.of("true"));
        }
    }

    @Test
    void checkPlansApiCallsAndCommandsTheRealRunMakesThemAndASecondRunIsOk(@TempDir Path dir) throws Exception {
        ApiTestModule m = new ApiTestModule();
        String play = """
                - hosts: g
                  gather_facts: false
                  tasks:
                    - {name: set, api_t: {key: a, value: "1"}}
                """;
        RunHarness check = RunHarness.run(dir, LOCAL, play, RunOptions.defaults().withCheck(true), List.of(m));
        assertEquals(List.of("set h1 changed"), check.results());
        assertTrue(m.store.isEmpty(), "check mode changed the API's objects: " + m.store);
        assertEquals(List.of("PROBE api api get a", "PLANNED api api apply thing a", "PLANNED shell true"), logOf(check));

        RunHarness real = RunHarness.run(dir, LOCAL, play, RunOptions.defaults(), List.of(m));
        assertEquals(List.of("set h1 changed"), real.results());
        assertEquals(Map.of("a", "1"), m.store);
        assertEquals(List.of("PROBE api api get a", "RUN api api apply thing a", "RUN shell true"), logOf(real));

        RunHarness again = RunHarness.run(dir, LOCAL, play, RunOptions.defaults(), List.of(m));
        assertEquals(List.of("set h1 ok"), again.results());
        assertEquals(List.of("PROBE api api get a"), logOf(again));
    }

    @Test
    void aRefusedApiCallFailsTheTaskWithTheApisMessageAndStopsTheChange(@TempDir Path dir) throws Exception {
        ApiTestModule m = new ApiTestModule();
        RunHarness h = RunHarness.run(dir, LOCAL, """
                - hosts: g
                  gather_facts: false
                  tasks:
                    - {name: set, api_t: {key: a, value: "1", refuse: true}}
                """, RunOptions.defaults(), List.of(m));
        assertEquals(List.of("set h1 failed"), h.results());
        assertEquals(ExitCode.TASK_FAILED, h.exitCode);
        String msg = h.messageOf("set", "h1");
        assertTrue(msg.contains("api apply thing a") && msg.contains("forbidden: user 'test'"), msg);
        assertEquals(List.of("PROBE api api get a", "RUN api api apply thing a"), logOf(h),
                "the command after the refused call did not run");
        assertFalse(m.store.containsKey("a"));
    }

    @Test
    void noLogHidesApiCalls(@TempDir Path dir) throws Exception {
        ApiTestModule m = new ApiTestModule();
        RunHarness h = RunHarness.run(dir, LOCAL, """
                - hosts: g
                  gather_facts: false
                  tasks:
                    - {name: set, api_t: {key: secretkey, value: "1"}, no_log: true}
                """, RunOptions.defaults().withCheck(true), List.of(m));
        h.events.stream().filter(e -> e instanceof Event.HostResult).map(e -> (Event.HostResult) e)
                .forEach(r -> assertFalse(String.valueOf(r).contains("secretkey"), r.toString()));
    }

    private static List<String> logOf(RunHarness h) {
        return h.events.stream().filter(e -> e instanceof Event.HostResult).map(e -> (Event.HostResult) e)
                .flatMap(r -> r.commands().stream())
                .map(c -> c.kind() + " " + (c.api() ? "api " : "shell ") + c.command()).toList();
    }
}
