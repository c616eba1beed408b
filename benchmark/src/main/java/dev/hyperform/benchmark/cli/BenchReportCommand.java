package dev.hyperform.benchmark.cli;

import dev.hyperform.benchmark.report.ReportWriter;
import dev.hyperform.error.ExitCode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hyperform bench-report DIR... [--out DIR]}: (re-)renders a benchmark report from saved results folders. */
@Command(name = "bench-report", mixinStandardHelpOptions = true,
        description = {"Render the SPDK-vhost vs VirtIO benchmark report (report.md, report.html, charts/*.png|svg) "
                + "from saved results folders; two or more folders are shown side by side.",
                "Folder layout: docs/benchmark.md."})
public final class BenchReportCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "DIR", description = "benchmark results folder(s) (environment.json, points/)")
    List<Path> dirs;

    @Option(names = "--out", paramLabel = "DIR", description = "where to write the report (default: DIR/report for one folder, "
            + "FIRST/report-vs-SECOND for two)")
    Path out;

    @Override
    public Integer call() {
        Path target = out != null ? out : dirs.size() == 1 ? dirs.get(0).resolve("report")
                : dirs.get(0).resolve("report-vs-" + dirs.get(1).toAbsolutePath().normalize().getFileName());
        Path written = new ReportWriter().write(dirs, target);
        System.out.println("report: " + written.resolve(ReportWriter.HTML));
        System.out.println("        " + written.resolve(ReportWriter.MARKDOWN));
        return ExitCode.OK;
    }
}
