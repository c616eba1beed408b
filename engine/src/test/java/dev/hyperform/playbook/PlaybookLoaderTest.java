package dev.hyperform.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every keyword of the fixture playbook {@code full/site.yml} lands in the model as written. */
class PlaybookLoaderTest {
    static final Path DIR = Path.of("src/test/resources/playbook/full");
    static final PlaybookLoader LOADER = new PlaybookLoader(TestModules.registry(), List.of(DIR.resolve("extra_roles")));
    static final Playbook BOOK = LOADER.load(DIR.resolve("site.yml"));

    static Play play() {
        return BOOK.plays().get(1);
    }

    static Step task(int i) {
        return play().tasks().get(i);
    }

    static TaskOptions opts(int i) {
        return task(i).options();
    }

    private static Arguments c(String label, Function<Void, Object> actual, Object expected) {
        return Arguments.of(label, actual, expected);
    }

    static Stream<Arguments> model() {
        return Stream.of(
                // import_playbook: expanded in place, with its vars and tags
                c("plays", v -> BOOK.plays().size(), 2),
                c("imported hosts", v -> BOOK.plays().get(0).hosts(), "all"),
                c("imported vars", v -> BOOK.plays().get(0).vars(), Map.of("from_import", 1)),
                c("imported tags", v -> BOOK.plays().get(0).options().tags(), List.of("imported")),
                c("imported gather_facts expr", v -> BOOK.plays().get(0).gatherFacts(), "${gather}"),
                c("imported serial", v -> BOOK.plays().get(0).serial(), List.of(2)),
                c("imported location", v -> BOOK.plays().get(0).location().toString(), DIR.resolve("other.yml") + ":1:3"),
                // play keywords
                c("name", v -> play().name(), "Configure web"),
                c("hosts", v -> play().hosts(), "web:&prod"),
                c("location", v -> play().location().toString(), DIR.resolve("site.yml") + ":7:3"),
                c("vars", v -> play().vars(), Map.of("port", 8080)),
                c("vars_files", v -> play().varsFiles(), List.of("vars/common.yml")),
                c("vars_prompt", v -> play().varsPrompt(), List.of(new VarsPrompt("release", "Which release?", "1.0", false))),
                c("become", v -> play().options().become(), true),
                c("become_user", v -> play().options().becomeUser(), "root"),
                c("become_method", v -> play().options().becomeMethod(), "sudo"),
                c("gather_facts", v -> play().gatherFacts(), false),
                c("serial", v -> play().serial(), List.of(1, "30%")),
                c("max_fail_percentage", v -> play().maxFailPercentage(), 25),
                c("any_errors_fatal", v -> play().anyErrorsFatal(), true),
                c("strategy", v -> play().strategy(), "free"),
                c("order", v -> play().order(), "sorted"),
                c("tags", v -> play().options().tags(), List.of("web", "deploy")),
                c("environment", v -> play().options().environment(), Map.of("LANG", "C")),
                c("force_handlers", v -> play().forceHandlers(), true),
                c("ignore_errors", v -> play().options().ignoreErrors(), false),
                c("ignore_unreachable", v -> play().options().ignoreUnreachable(), true),
                c("check_mode", v -> play().options().checkMode(), false),
                c("diff", v -> play().options().diff(), true),
                c("no_log", v -> play().options().noLog(), false),
                c("connection", v -> play().options().connection(), "ssh"),
                c("remote_user", v -> play().options().remoteUser(), "admin"),
                c("secrets", v -> play().secrets(), List.of("db_password")),
                c("baseDir", v -> play().baseDir(), DIR),
                c("pre_tasks k=v with quotes", v -> ((Task) play().preTasks().get(0)).args(), Map.of("msg", "hello world")),
                c("post_tasks", v -> ((Task) play().postTasks().get(0)).args(), Map.of("var", "copied")),
                // task keywords
                c("module", v -> ((Task) task(0)).module(), "copy"),
                c("args (octal mode)", v -> ((Task) task(0)).args(), Map.of("src", "app.conf", "dest", "/etc/app.conf", "mode", 420)),
                c("task location", v -> task(0).location().toString(), DIR.resolve("site.yml") + ":49:7"),
                c("when list", v -> opts(0).when(), List.of("port == 8080", "deploy")),
                c("register", v -> opts(0).register(), "copied"),
                c("notify", v -> opts(0).notifications(), List.of("restart app")),
                c("changed_when bool", v -> opts(0).changedWhen(), List.of("false")),
                c("failed_when list", v -> opts(0).failedWhen(), List.of("copied.rc != 0", "x")),
                c("task ignore_errors", v -> opts(0).ignoreErrors(), true),
                c("task ignore_unreachable", v -> opts(0).ignoreUnreachable(), false),
                c("until", v -> opts(0).until(), "copied.rc == 0"),
                c("retries", v -> opts(0).retries(), 3),
                c("delay", v -> opts(0).delay(), 2),
                c("delegate_to", v -> opts(0).delegateTo(), "lb1"),
                c("run_once", v -> opts(0).runOnce(), true),
                c("tags comma text", v -> opts(0).tags(), List.of("config", "files")),
                c("task become", v -> opts(0).become(), true),
                c("task become_user", v -> opts(0).becomeUser(), "app"),
                c("task become_method", v -> opts(0).becomeMethod(), "su"),
                c("task no_log", v -> opts(0).noLog(), true),
                c("task check_mode", v -> opts(0).checkMode(), false),
                c("task diff", v -> opts(0).diff(), false),
                c("task environment", v -> opts(0).environment(), Map.of("HTTP_PROXY", "http://proxy:3128")),
                c("timeout", v -> opts(0).timeout(), 30),
                c("throttle", v -> opts(0).throttle(), 2),
                c("task vars", v -> opts(0).vars(), Map.of("local", 1)),
                c("task connection", v -> opts(0).connection(), "local"),
                c("task remote_user", v -> opts(0).remoteUser(), "deploy"),
                c("task any_errors_fatal", v -> opts(0).anyErrorsFatal(), true),
                c("fqcn module", v -> ((Task) task(1)).module(), "debug"),
                c("with_items flattened", v -> opts(1).loop(), List.of("a", "b", "c")),
                c("loop_control", v -> opts(1).loopControl(), new TaskOptions.LoopControl("pkg", "i", "${pkg}", 1, true)),
                c("free form + args:", v -> ((Task) task(2)).args(), Map.of("chdir", "/srv", "cmd", "ls -l", "creates", "/srv/done")),
                c("unset keyword is null", v -> opts(2).when(), null),
                // block / rescue / always
                c("block", v -> ((Task) ((Block) task(3)).block().get(0)).args(), Map.of("msg", "in block")),
                c("rescue", v -> ((Task) ((Block) task(3)).rescue().get(0)).args(), Map.of("msg", "rescued")),
                c("always meta", v -> ((Task) ((Block) task(3)).always().get(0)).args(), Map.of("free_form", "flush_handlers")),
                c("block options", v -> List.of(opts(3).when(), opts(3).become()), List.of(List.of("run_block"), true)),
                // import_tasks: static, nested import, options on the block
                c("import_tasks block tags", v -> opts(4).tags(), List.of("common")),
                c("import_tasks steps", v -> ((Block) task(4)).block().size(), 2),
                c("nested import", v -> ((Task) ((Block) ((Block) task(4)).block().get(1)).block().get(0)).location()
                        .toString(), DIR.resolve("tasks/nested.yml") + ":1:3"),
                // include_tasks: dynamic
                c("include_tasks", v -> List.of(((Include) task(5)).kind(), ((Include) task(5)).target(),
                        ((Include) task(5)).params(), opts(5).loop(), opts(5).when()),
                        List.of(Include.Kind.TASKS, "tasks/dynamic.yml", Map.of("step", 2), List.of(1, 2), List.of("go"))),
                c("include_role", v -> List.of(((Include) task(6)).kind(), ((Include) task(6)).target(),
                        ((Include) task(6)).params()), List.of(Include.Kind.ROLE, "app", Map.of("app_port", 1))),
                c("import_role from HYPERFORM_ROLES_PATH", v -> ((Task) ((Block) ((Block) task(7)).block().get(0)).block()
                        .get(0)).displayName(), "shared : shared task"),
                c("local_action", v -> List.of(((Task) task(8)).module(), ((Task) task(8)).args(), opts(8).delegateTo()),
                        List.of("command", Map.of("cmd", "echo local"), "localhost")),
                // handlers
                c("handler", v -> List.of(play().handlers().get(0).task().name(), play().handlers().get(0).listen()),
                        List.of("restart app", List.of("app changed"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("model")
    void keywordLandsInModel(String label, Function<Void, Object> actual, Object expected) {
        assertEquals(expected, actual.apply(null), label);
    }

    @Test
    void rolesComeWithDependenciesFirstEachOnce() {
        List<RoleUse> roles = play().roles();
        assertEquals(List.of("base", "web", "app"), roles.stream().map(r -> r.role().name()).toList());
        RoleUse web = roles.get(1);
        assertEquals(Map.of("web_port", 80), web.role().defaults());
        assertEquals(Map.of("web_user", "www-data"), web.role().vars());
        assertEquals(DIR.resolve("roles/web"), web.role().dir());
        Task render = (Task) web.tasks().get(0);
        assertEquals("web : render index", render.displayName());
        assertEquals(web.role(), render.role());
        assertEquals("reload web", web.handlers().get(0).task().name());
        assertEquals(web.role(), web.handlers().get(0).task().role());
        RoleUse app = roles.get(2);
        assertEquals(Map.of("app_port", 9000), app.role().params());
        assertEquals(List.of("deploy_app"), app.options().when());
        assertEquals(List.of("app"), app.options().tags());
    }

    @Test
    void runTimeLoadsForIncludes() {
        Include inc = (Include) task(5);
        List<Step> steps = LOADER.loadTaskFile(inc.baseDir().resolve(inc.target()), inc.role(), inc.location());
        assertEquals("dynamic one", steps.get(0).name());
        RoleUse app = LOADER.loadRole("app", null, play().baseDir(), Map.of("app_port", 1), TaskOptions.NONE, task(6).location());
        Block dependency = assertInstanceOf(Block.class, app.tasks().get(0));
        assertEquals("base : base task", ((Task) dependency.block().get(0)).displayName());
        assertEquals("app : app task", ((Task) app.tasks().get(1)).displayName());
        assertEquals(Map.of("app_port", 1), app.role().params());
    }

    @Test
    void syntaxCheckCountsEverythingReachable() {
        SyntaxChecker.Summary s = new SyntaxChecker(LOADER).check(DIR.resolve("site.yml"));
        // other.yml 1; pre 1; roles base 1, web 1, app 1; tasks copy, loop, command, block 3, common 2,
        // dynamic 1 (loaded), include_role app 1 + base dep 1, shared 1, local 1; post 1
        assertEquals(2, s.plays());
        assertEquals(19, s.tasks());
        assertEquals(4, s.roles());
    }

    @Test
    void undeclaredRoleParametersAreAcceptedUnlessTheyLookLikeAMisspeltKeyword() {
        RoleUse base = LOADER.load(DIR.resolve("params.yml")).plays().get(0).roles().get(0);
        assertEquals(Map.of("port", 22, "extra", 1), base.role().params());
    }
}
