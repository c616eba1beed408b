package dev.hyperform.benchmark.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

/** Renders the report's blocks as one self-contained HTML page (report.html): the PNG charts are inlined as data URIs. */
public final class HtmlReport {

    public String render(List<Block> blocks, Path dir) {
        StringBuilder sb = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>");
        blocks.stream().filter(b -> b instanceof Block.Heading).findFirst()
                .ifPresent(h -> sb.append(esc(((Block.Heading) h).text())));
        sb.append("</title><style>body{font-family:sans-serif;margin:2em;max-width:1700px}"
                + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:4px 8px;text-align:right}"
                + "td:first-child{text-align:left}.failed{color:#b00;font-weight:bold}.charts{display:flex;gap:1em;flex-wrap:wrap}"
                + "img{max-width:800px;width:100%}</style></head><body>\n");
        for (Block b : blocks) {
            if (b instanceof Block.Heading h) {
                sb.append("<h").append(h.level()).append('>').append(esc(h.text()))
                    .append("</h").append(h.level()).append(">\n");
            }
            if (b instanceof Block.Paragraph p) {
                sb.append("<p>").append(esc(p.text())).append("</p>\n");
            }
            if (b instanceof Block.Table t) {
                sb.append("<table><tr>");
                t.header().forEach(h -> sb.append("<th>").append(esc(h)).append("</th>"));
                sb.append("</tr>\n");
                for (List<String> r : t.rows()) {
                    sb.append("<tr>");
                    r.forEach(c -> sb.append(c.startsWith("FAILED") ? "<td class=\"failed\">" : "<td>").append(esc(c)).append("</td>"));
                    sb.append("</tr>\n");
                }
                sb.append("</table>\n");
            }
            if (b instanceof Block.Charts c) {
                sb.append("<div class=\"charts\">");
                for (String png : c.pngs()) {
                    sb.append("<img alt=\"").append(esc(c.caption())).append("\" src=\"data:image/png;base64,")
                            .append(Base64.getEncoder().encodeToString(read(dir.resolve(png)))).append("\">");
                }
                sb.append("</div>\n");
            }
        }
        return sb.append("</body></html>\n").toString();
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot inline chart " + p, e);
        }
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
