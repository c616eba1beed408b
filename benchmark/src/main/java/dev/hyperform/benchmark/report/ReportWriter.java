package dev.hyperform.benchmark.report;

import dev.hyperform.benchmark.results.BenchmarkRun;
import dev.hyperform.benchmark.results.ResultsFolder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads results folders and writes OUT/report.md, OUT/report.html and OUT/charts/*.png|svg. */
public final class ReportWriter {
    public static final String MARKDOWN = "report.md";
    public static final String HTML = "report.html";

    static {
        System.setProperty("java.awt.headless", "true");
    }

    /** Returns the report's folder. */
    public Path write(List<Path> resultDirs, Path out) {
        ResultsFolder folder = new ResultsFolder();
        List<BenchmarkRun> runs = resultDirs.stream().map(folder::read).toList();
        try {
            Files.createDirectories(out);
            List<Block> blocks = new ReportBuilder().build(runs, out);
            Files.writeString(out.resolve(MARKDOWN), new MarkdownReport().render(blocks));
            Files.writeString(out.resolve(HTML), new HtmlReport().render(blocks, out));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report into " + out, e);
        }
    }
}
