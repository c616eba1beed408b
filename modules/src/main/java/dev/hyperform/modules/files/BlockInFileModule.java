package dev.hyperform.modules.files;

import dev.hyperform.module.ArgDef;
import dev.hyperform.module.ArgSpec;
import dev.hyperform.module.ArgType;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.Module;
import dev.hyperform.module.Target;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code blockinfile}: a block of lines between marker lines, inserted, replaced or removed; written atomically. The
 * default marker is Ansible's ({@code # {mark} ANSIBLE MANAGED BLOCK}), so a file Ansible manages keeps one block
 * when a fleet moves to hyperform; a block written with hyperform's earlier default marker
 * ({@code # {mark} HYPERFORM MANAGED BLOCK}) is taken over under the default marker instead of getting a second one.
 */
public final class BlockInFileModule implements Module {
    static final String DEFAULT_MARKER = "# {mark} ANSIBLE MANAGED BLOCK";
    static final String FORMER_DEFAULT_MARKER = "# {mark} HYPERFORM MANAGED BLOCK";
    private static final ArgSpec SPEC = ArgSpec.builder("Keep a block of lines between markers in a file (insert, replace, remove).")
            .arg(ArgDef.required("path", ArgType.PATH, "file on the target").aliases("dest", "destfile", "name"))
            .arg(ArgDef.optional("block", ArgType.STRING, "", "the lines (without markers)").aliases("content"))
            .arg(ArgDef.optional("marker", ArgType.STRING, DEFAULT_MARKER, "marker line; {mark} becomes BEGIN/END (default: Ansible's, so blocks Ansible wrote are the same block)"))
            .arg(ArgDef.optional("marker_begin", ArgType.STRING, "BEGIN", "what {mark} becomes in the first marker"))
            .arg(ArgDef.optional("marker_end", ArgType.STRING, "END", "what {mark} becomes in the last marker"))
            .arg(ArgDef.optional("state", ArgType.STRING, "present", "present or absent").choices("present", "absent"))
            .arg(ArgDef.optional("insertafter", ArgType.STRING, "EOF", "EOF or a regexp: a new block goes after its last match"))
            .arg(ArgDef.optional("insertbefore", ArgType.STRING, null, "BOF or a regexp: a new block goes before its last match"))
            .arg(ArgDef.optional("create", ArgType.BOOL, false, "create the file when absent"))
            .arg(FileWrite.attributeArgs().get(0)).arg(FileWrite.attributeArgs().get(1)).arg(FileWrite.attributeArgs().get(2))
            .arg(FileWrite.attributeArgs().get(3)).arg(FileWrite.attributeArgs().get(4))
            .example("- blockinfile:\n    path: /etc/libvirt/qemu.conf\n    block: |\n      user = \"root\"\n      group = \"root\"")
            .build();

    @Override
    public String name() {
        return "blockinfile";
    }

    @Override
    public ArgSpec spec() {
        return SPEC;
    }

    @Override
    public Change plan(Target target, Args args) {
        String path = args.string("path");
        Optional<RemoteFile.WithText> text = RemoteFile.editable(target, path, args.string("state").equals("absent"), args.bool("create"), "blockinfile",
                FileWrite.setsAttributes(args));
        if (text.isEmpty()) {
            return Change.none(path + " does not exist");
        }
        return FileWrite.plan(target, args, text.get(), edit(text.get().text().orElseThrow(), args).getBytes(StandardCharsets.UTF_8),
                "file");
    }

    static String edit(String text, Args args) {
        String begin = args.string("marker").replace("{mark}", args.string("marker_begin"));
        String end = args.string("marker").replace("{mark}", args.string("marker_end"));
        List<String> lines = new ArrayList<>(text.isEmpty() ? List.of() : List.of(text.split("\n", -1)));
        if (text.endsWith("\n")) {
            lines.remove(lines.size() - 1);
        }
        int b = lines.indexOf(begin);
        int e = b < 0 ? -1 : lines.subList(b, lines.size()).indexOf(end) + b;
        if ((b < 0 || e < b) && args.string("marker").equals(DEFAULT_MARKER)) {
            // a block from before the default became Ansible's: the same block, rewritten with the default marker
            b = lines.indexOf(FORMER_DEFAULT_MARKER.replace("{mark}", args.string("marker_begin")));
            e = b < 0 ? -1 : lines.subList(b, lines.size()).indexOf(FORMER_DEFAULT_MARKER.replace("{mark}", args.string("marker_end"))) + b;
        }
        List<String> block = new ArrayList<>();
        String content = args.string("block");
        if (!content.isEmpty()) {
            block.add(begin);
            block.addAll(List.of(content.replaceAll("\n$", "").split("\n", -1)));
            block.add(end);
        }
        boolean present = args.string("state").equals("present");
        if (b >= 0 && e >= b) {
            for (int i = e; i >= b; i--) {
                lines.remove(i);
            }
            if (present) {
                lines.addAll(b, block);
            }
        } else if (present && !block.isEmpty()) {
            lines.addAll(position(lines, args), block);
        }
        return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    }

    private static int position(List<String> lines, Args args) {
        String before = args.optString("insertbefore").orElse(null);
        String after = args.string("insertafter");
        if (before != null) {
            if (before.equals("BOF")) {
                return 0;
            }
            Pattern p = Pattern.compile(before);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (p.matcher(lines.get(i)).find()) {
                    return i;
                }
            }
            return lines.size();
        }
        if (!after.equals("EOF")) {
            Pattern p = Pattern.compile(after);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (p.matcher(lines.get(i)).find()) {
                    return i + 1;
                }
            }
        }
        return lines.size();
    }
}
