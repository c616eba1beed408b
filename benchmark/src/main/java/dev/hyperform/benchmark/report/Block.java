package dev.hyperform.benchmark.report;

import java.util.List;

/** A piece of the report, rendered alike to Markdown and HTML. */
public sealed interface Block {
    record Heading(int level, String text) implements Block {
    }

    record Paragraph(String text) implements Block {
    }

    record Table(List<String> header, List<List<String>> rows) implements Block {
        public Table {
            header = List.copyOf(header);
            rows = rows.stream().map(List::copyOf).toList();
        }
    }

    /** Charts side by side (one per run): PNG and SVG file names relative to the report folder. */
    record Charts(String caption, List<String> pngs) implements Block {
        public Charts {
            pngs = List.copyOf(pngs);
        }
    }
}
