package dev.hyperform.benchmark.report;

import java.util.List;

/** Renders the report's blocks as Markdown (report.md); charts link their PNG and SVG files. */
public final class MarkdownReport {

    public String render(List<Block> blocks) {
        StringBuilder sb = new StringBuilder();
        for (Block b : blocks) {
            if (b instanceof Block.Heading h) {
                sb.append("#".repeat(h.level())).append(' ').append(h.text()).append("\n\n");
            }
            if (b instanceof Block.Paragraph p) {
                sb.append(p.text()).append("\n\n");
            }
            if (b instanceof Block.Table t) {
                sb.append(row(t.header())).append(row(t.header().stream().map(x -> "---").toList()));
                t.rows().forEach(r -> sb.append(row(r)));
                sb.append('\n');
            }
            if (b instanceof Block.Charts c) {
                for (String png : c.pngs()) {
                    sb.append("![").append(c.caption()).append("](").append(png).append(") ([SVG](")
                            .append(png.replaceAll("\\.png$", ".svg")).append("))\n");
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    private static String row(List<String> cells) {
        return "| " + String.join(" | ", cells.stream().map(c -> c.replace("|", "\\|").replace("\n", " ")).toList()) + " |\n";
    }
}
