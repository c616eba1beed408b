package dev.hyperform.modules.files;

import dev.hyperform.module.ArgDef;
import dev.hyperform.module.ArgSpec;
import dev.hyperform.module.ArgType;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.Command;
import dev.hyperform.module.Module;
import dev.hyperform.module.ModuleException;
import dev.hyperform.module.Target;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code copy}: put literal content or a controller file on the target, atomically, with attributes. */
public final class CopyModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder("Copy content or a file from the controller to the target (atomic write).")
            .arg(ArgDef.optional("content", ArgType.STRING, null, "the exact content to write (instead of src)"))
            .arg(ArgDef.optional("src", ArgType.PATH, null, "controller file, looked up in the role's files/ then beside the playbook"))
            .arg(ArgDef.required("dest", ArgType.PATH, "destination path on the target; a directory gets src's file name"))
            .arg(ArgDef.optional("force", ArgType.BOOL, true, "replace the file when its content differs (false: only create)"))
            .arg(ArgDef.optional("follow", ArgType.BOOL, false, "when dest is a symbolic link: false (as in Ansible) replaces the link"
                    + " by the file and leaves what it pointed to alone; true writes the file the link points to"))
            .arg(FileWrite.attributeArgs().get(0)).arg(FileWrite.attributeArgs().get(1)).arg(FileWrite.attributeArgs().get(2))
            .arg(FileWrite.attributeArgs().get(3)).arg(FileWrite.attributeArgs().get(4))
            .arg(ArgDef.optional("directory_mode", ArgType.MODE, null,
                    "mode of directories created when src is a directory (src: dir copies the directory, src: dir/ its contents)"))
            .example("- copy:\n    content: \"vm.nr_hugepages = 1024\\n\"\n    dest: /etc/sysctl.d/80-hugepages.conf\n    mode: '0644'\n"
                    + "- copy: {src: conf.d/, dest: /etc/spdk/conf.d, mode: '0640', directory_mode: '0750'}")
            .build();

    @Override
    public String name() {
        return "copy";
    }

    @Override
    public ArgSpec spec() {
        return SPEC;
    }

    @Override
    public Change plan(Target target, Args args) {
        if (args.has("content") == args.has("src")) {
            throw ModuleException.invalidArgs(args.location(), "copy needs exactly one of content and src",
                    "content: writes the text given; src: copies a controller file");
        }
        byte[] bytes;
        String dest = args.string("dest");
        if (args.has("content")) {
            bytes = args.string("content").getBytes(StandardCharsets.UTF_8);
        } else {
            Path src = target.controllerFile("files", args.string("src"));
            if (Files.isDirectory(src)) {
                return DirectoryCopy.plan(target, args, src, args.string("src"), dest);
            }
            try {
                bytes = Files.readAllBytes(src);
            } catch (IOException e) {
                throw new ModuleException("cannot read " + src + ": " + e.getMessage(), "check the file on the controller");
            }
            // a link to a directory counts as the directory, as in Ansible
            if (dest.endsWith("/") || target.probe(Command.sh("[ -d \"$1\" ]", List.of(dest))).ok()) {
                dest = dest.replaceAll("/+$", "") + "/" + src.getFileName();
            }
        }
        return FileWrite.planFollowing(target, args, dest, bytes, "file", args.bool("follow"));
    }

}
