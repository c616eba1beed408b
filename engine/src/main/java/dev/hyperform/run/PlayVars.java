package dev.hyperform.run;

import dev.hyperform.error.Failure;
import dev.hyperform.error.HyperformException;
import dev.hyperform.playbook.Play;
import dev.hyperform.playbook.VarsPrompt;
import dev.hyperform.vars.Expressions;
import dev.hyperform.vars.Origin;
import java.io.Console;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A play's own variable layers that are resolved once per play: {@code vars_prompt} (from -e, else asked on a
 * terminal, else the default, else an error — never a hang) and {@code vars_files} (names may use play vars,
 * prompted vars and extra vars).
 */
final class PlayVars {
    private final Expressions expressions;
    private final RunOptions options;
    private final IncludeLoader loader;

    PlayVars(Expressions expressions, RunOptions options, IncludeLoader loader) {
        this.expressions = expressions;
        this.options = options;
        this.loader = loader;
    }

    Map<String, Object> prompts(Play play) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (VarsPrompt p : play.varsPrompt()) {
            if (options.extraVars().containsKey(p.name())) {
                out.put(p.name(), options.extraVars().get(p.name()));
                continue;
            }
            Console console = System.console();
            if (console != null) {
                String question = (p.prompt() == null ? p.name() : p.prompt())
                        + (p.defaultValue() == null ? "" : " [" + p.defaultValue() + "]") + ": ";
                String answer = p.isPrivate() ? new String(console.readPassword("%s", question)) : console.readLine("%s", question);
                out.put(p.name(), answer.isEmpty() && p.defaultValue() != null ? p.defaultValue() : answer);
            } else if (p.defaultValue() != null) {
                out.put(p.name(), p.defaultValue());
            } else {
                throw new HyperformException(Failure.INVALID_INPUT, play.location(), "vars_prompt '" + p.name()
                        + "' needs an answer, and there is no terminal to ask on",
                        "pass it with -e " + p.name() + "=VALUE (or give the prompt a default)");
            }
            if (p.isPrivate()) {
                out.put(p.name(), new dev.hyperform.vars.Secret(String.valueOf(out.get(p.name()))));
            }
        }
        return out;
    }

    Map<String, Object> files(Play play, Map<String, Object> prompted) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> scope = playScope(play, prompted);
        for (String name : play.varsFiles()) {
            String resolved = String.valueOf(expressions.interpolate(name, scope, Origin.at(play.location())));
            Path p = play.baseDir() == null ? Path.of(resolved) : play.baseDir().resolve(resolved);
            out.putAll(loader.loadVarsFile(p, play.location()));
        }
        return out;
    }

    /** Play vars, prompted vars and extra vars: what a play-level expression may use. */
    Map<String, Object> playScope(Play play, Map<String, Object> prompted) {
        Map<String, Object> scope = new LinkedHashMap<>(play.vars());
        scope.putAll(prompted);
        scope.putAll(options.extraVars());
        return scope;
    }
}
