package dev.hyperform.benchmark.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyperform.cli.Main;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A report rendered by 'hyperform bench-report' from a small results folder made of real fio 3.33 JSON. */
final class BenchReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path FIO = Path.of("src/test/resources/fio");
    private static final List<String> CHARTS = List.of("normalised", "sum", "spread", "latency");

    @TempDir
    Path tmp;

    /** Results folder: randread-4k at 2 and 3 VMs (spdk at 3 has a VM whose fio job failed), seqread-1m at 2 (spdk never ready). */
    static Path results(Path dir) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("environment.json"), """
                {"versions": {"fio": "fio-3.33", "qemu": "7.2.0"}, "parameters": {"runtime": 2, "numjobs": 2}}""");
        point(dir, "virtio", "randread-4k", 2, "done", "", "grouped.json", "multi.json");
        point(dir, "spdk", "randread-4k", 2, "done", "", "grouped-jsonplus.json", "grouped.json");
        point(dir, "virtio", "randread-4k", 3, "done", "", "grouped.json", "multi.json", "grouped-jsonplus.json");
        point(dir, "spdk", "randread-4k", 3, "done", "", "grouped.json", "error.json", "multi.json");
        point(dir, "virtio", "seqread-1m", 2, "done", "", "multi.json", "grouped.json");
        point(dir, "spdk", "seqread-1m", 2, "failed", "vm-2 not ready after 600 s", "grouped.json");
        return dir;
    }

    static void point(Path dir, String kind, String caseName, int vms, String status, String reason, String... fio) throws Exception {
        Path p = dir.resolve("points").resolve(kind + "_" + caseName + "_" + vms);
        Files.createDirectories(p.resolve("fio"));
        Files.writeString(p.resolve("point.json"), JSON.writeValueAsString(JSON.createObjectNode().put("kind", kind)
                .put("case", caseName).put("vms", vms).put("status", status).put("reason", reason)));
        for (int i = 0; i < fio.length; i++) {
            Files.copy(FIO.resolve(fio[i]), p.resolve("fio").resolve("vm-" + (i + 1) + ".json"));
        }
    }

    /** fio's figure read straight from the raw document: the sum over its job entries of read.iops or read.bw_bytes. */
    static double raw(String file, String field) throws Exception {
        String s = Files.readString(FIO.resolve(file));
        JsonNode doc = JSON.readTree(s.substring(s.startsWith("{") ? 0 : s.indexOf("\n{") + 1));
        double sum = 0;
        for (JsonNode j : doc.path("jobs")) {
            sum += j.path("read").path(field).asDouble();
        }
        return sum;
    }

    @Test
    void reportHasChartsTablesAndFailedPointsFromTheSavedResults() throws Exception {
        Path run = results(tmp.resolve("run-a"));
        Path out = tmp.resolve("out");
        assertEquals(0, Main.run("bench-report", run.toString(), "--out", out.toString()));

        for (String c : List.of("randread-4k", "seqread-1m")) {
            for (String chart : CHARTS) {
                byte[] png = Files.readAllBytes(out.resolve("charts/" + c + "-" + chart + ".png"));
                assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10}, Arrays.copyOf(png, 8));
                BufferedImage img = ImageIO.read(out.resolve("charts/" + c + "-" + chart + ".png").toFile());
                assertEquals(ChartFiles.WIDTH, img.getWidth());
                var svg = xml().newDocumentBuilder().parse(out.resolve("charts/" + c + "-" + chart + ".svg").toFile());
                assertEquals("svg", svg.getDocumentElement().getTagName());
            }
        }
        String md = Files.readString(out.resolve("report.md"));
        double virtio2 = raw("grouped.json", "iops") + raw("multi.json", "iops");
        double spdk2 = raw("grouped-jsonplus.json", "iops") + raw("grouped.json", "iops");
        assertTrue(md.contains("| 2 | " + fmt("%.0f", virtio2) + " | " + fmt("%.0f", spdk2) + " | " + fmt("%.2f", spdk2 / virtio2) + " |"), md);
        double seqVirtio = (raw("multi.json", "bw_bytes") + raw("grouped.json", "bw_bytes")) / (1024 * 1024);
        assertTrue(md.contains("| 2 | " + fmt("%.1f", seqVirtio) + " | FAILED: vm-2 not ready after 600 s | FAILED: spdk failed: vm-2 not ready after 600 s |"), md);
        assertTrue(md.contains("| FAILED: vm-2: fio job 'bad' failed: error 22: Invalid argument (io_u error at file:io_u.c:1876) |"), md);
        assertTrue(md.contains("| versions.qemu | 7.2.0 |"), md);

        String html = Files.readString(out.resolve("report.html"));
        assertEquals(2 * CHARTS.size(), html.split("src=\"data:image/png;base64,", -1).length - 1, "every chart inlined");
        assertFalse(html.contains("src=\"charts/"), "report.html needs no other file");
        assertTrue(html.contains("<td class=\"failed\">FAILED: vm-2 not ready after 600 s</td>"));
    }

    @Test
    void twoRunsSideBySide() throws Exception {
        Path a = results(tmp.resolve("run-a"));
        Path b = results(tmp.resolve("run-b"));
        assertEquals(0, Main.run("bench-report", a.toString(), b.toString()));
        Path out = a.resolve("report-vs-run-b");
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("### run-a") && md.contains("### run-b"), md);
        for (String r : List.of("run1", "run2")) {
            assertTrue(Files.isRegularFile(out.resolve("charts/" + r + "-randread-4k-normalised.png")));
        }
    }

    @Test
    void aFolderThatIsNoResultsFolderIsRefusedWithWhatToPass() {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.err;
        System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertEquals(4, Main.run("bench-report", tmp.toString()));
        } finally {
            System.setErr(saved);
        }
        String msg = err.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(msg.contains("is not a benchmark results folder") && msg.contains("environment.json and points/"), msg);
    }

    /** An XML parser that never fetches the SVG's DTD (tests talk to no other host). */
    private static DocumentBuilderFactory xml() throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return f;
    }

    private static String fmt(String f, double v) {
        return String.format(Locale.ROOT, f, v);
    }
}
