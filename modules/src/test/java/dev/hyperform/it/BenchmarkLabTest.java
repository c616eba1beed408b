package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyperform.error.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * playbooks/benchmark.yaml for real on the lab's 3 hosts with their Ceph, kept short for CI: one point per disk kind
 * (randread-4k, 1 VM, 64 MiB disk, 1 s ramp, 3 s of fio). The SPDK-vhost guest's disk is vhost-user-blk from the SPDK
 * JSON-RPC TEST DOUBLE over an RBD image, the VirtIO guest's QEMU's rbd driver; fio runs in the guests (TCG here: the
 * emulator's speed). Checked: both points done, fio ran with the benchmark's parameters (WSF's), the report was
 * rendered with its charts, and the figure the report gives for each point is the one in that VM's raw fio JSON.
 */
@Tag("lab")
class BenchmarkLabTest {

    @AfterAll
    static void stopCeph() throws Exception {
        LabCeph.stop();
    }

    @Test
    void onePointPerKindRunsFioInRealGuestsAndTheReportShowsFiosFigures(@TempDir Path dir) throws Exception {
        long t0 = System.nanoTime();
        LabCeph.up(dir, "BenchmarkLabTest");
        Lab.labOutput("guest", "image");
        Path home = Lab.home();
        Lab.Run hosts = Lab.play(dir, "-i", Lab.INVENTORY.toString(), "-i", home.resolve("inventories/lab").toString(),
                home.resolve("playbooks/site.yaml").toString(), "--tags", "qemu,libvirt,spdk");
        assertEquals(ExitCode.OK, hosts.exitCode(), hosts.console());
        String hostKey = Files.readString(Lab.DIR.resolve("guest/known_hosts")).strip();
        Path results = dir.resolve("run");
        String vars = ("{\"bench_vm_counts\": [1], \"bench_cases\": [\"randread-4k\"], \"bench_results_dir\": \"%s\","
                + " \"bench_guest_private_key\": \"%s\", \"bench_guest_host_key\": \"%s\", \"bench_guest_image_from\": \"%s\","
                + " \"bench_domain_type\": \"qemu\", \"bench_vm_memory_mib\": 512, \"bench_vm_vcpus\": 1, \"bench_disk_size\": \"64M\","
                + " \"bench_fio_ramp_time\": 1, \"bench_fio_runtime\": 3, \"bench_prefill_settle\": 0,"
                + " \"bench_report_command\": \"%s bench-report\"}").formatted(results, Lab.DIR.resolve("id_ed25519"),
                hostKey.substring(hostKey.indexOf(' ') + 1), Lab.DIR.resolve("guest"), home.resolve("hyperform"));
        long b0 = System.nanoTime();
        Lab.Run run = Lab.play(dir, "-i", Lab.INVENTORY.toString(), "-i", home.resolve("inventories/lab").toString(),
                home.resolve("playbooks/benchmark.yaml").toString(), "-e", vars);
        System.out.printf("BenchmarkLabTest: hosts ready in %d s, benchmark (2 points) in %d s%n",
                (b0 - t0) / 1_000_000_000L, (System.nanoTime() - b0) / 1_000_000_000L);
        assertEquals(ExitCode.OK, run.exitCode(), run.console());
        String report = Files.readString(results.resolve("report/report.md"));
        for (String point : List.of("virtio_randread-4k_1", "spdk_randread-4k_1")) {
            JsonNode p = Lab.JSON.readTree(Files.readString(results.resolve("points/" + point + "/point.json")));
            assertEquals("done", p.path("status").asText(), point + ": " + p + "\n" + run.console());
            String raw = Files.readString(results.resolve("points/" + point + "/fio/bench-vm1.json"));
            JsonNode fio = Lab.JSON.readTree(raw.substring(raw.indexOf('{')));
            JsonNode job = fio.path("jobs").path(0);
            JsonNode options = fio.path("global options"); // the command line's options before the first --name
            assertEquals("randread", options.path("rw").asText(), raw);
            assertEquals("64", options.path("iodepth").asText(), raw);
            assertEquals("2", options.path("numjobs").asText(), raw);
            assertEquals("libaio", options.path("ioengine").asText(), raw);
            assertEquals("1", options.path("direct").asText(), raw);
            assertEquals(0, job.path("error").asInt(), raw);
            double iops = 0;
            for (JsonNode j : fio.path("jobs")) {
                iops += j.path("read").path("iops").asDouble();
            }
            assertTrue(iops > 0, raw);
            String figure = String.format(Locale.ROOT, "%.0f", iops);
            assertTrue(report.lines().anyMatch(l -> l.startsWith("| 1 |") && l.contains(" " + figure + " ")),
                    point + ": the report shows the VM's " + figure + " IOPS from its fio JSON:\n" + report);
            System.out.printf("BenchmarkLabTest: %s: %s IOPS in the report and in the raw fio JSON%n", point, figure);
        }
        for (String chart : List.of("randread-4k-normalised.png", "randread-4k-sum.svg")) {
            assertTrue(Files.size(results.resolve("report/charts/" + chart)) > 1000, chart);
        }
        assertTrue(run.console().contains("report: " + results.resolve("report/report.html")), run.console());
        System.out.printf("BenchmarkLabTest: %d s in all%n", (System.nanoTime() - t0) / 1_000_000_000L);
    }
}
