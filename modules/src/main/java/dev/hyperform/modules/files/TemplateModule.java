package dev.hyperform.modules.files;

import dev.hyperform.module.ArgDef;
import dev.hyperform.module.ArgSpec;
import dev.hyperform.module.ArgType;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.Module;
import dev.hyperform.module.Target;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** {@code template}: render a FreeMarker {@code .ftl} file with the host's variables and write it atomically. */
public final class TemplateModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder("Render a FreeMarker template (.ftl) with the host's variables and write it to the target.")
            .arg(ArgDef.required("src", ArgType.PATH, "template, looked up in the role's templates/, then beside the playbook and its templates/"))
            .arg(ArgDef.required("dest", ArgType.PATH, "destination path on the target"))
            .arg(ArgDef.optional("force", ArgType.BOOL, true, "replace the file when its content differs (false: only create)"))
            .arg(FileWrite.attributeArgs().get(0)).arg(FileWrite.attributeArgs().get(1)).arg(FileWrite.attributeArgs().get(2))
            .arg(FileWrite.attributeArgs().get(3)).arg(FileWrite.attributeArgs().get(4))
            .example("- template:\n    src: spdk-vhost.service.ftl\n    dest: /etc/systemd/system/spdk-vhost.service")
            .build();

    @Override
    public String name() {
        return "template";
    }

    @Override
    public ArgSpec spec() {
        return SPEC;
    }

    @Override
    public Change plan(Target target, Args args) {
        Path src = target.controllerFile("templates", args.string("src"));
        // force: false and dest exists: nothing to write, so nothing to render either
        if (!args.bool("force") && RemoteFile.probe(target, args.string("dest")).exists()) {
            return Change.none(args.string("dest") + " exists (force: false)");
        }
        String text = target.renderTemplate(src);
        return FileWrite.plan(target, args, args.string("dest"), text.getBytes(StandardCharsets.UTF_8), "template");
    }
}
