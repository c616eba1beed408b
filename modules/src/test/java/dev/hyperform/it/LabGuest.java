package dev.hyperform.it;

import java.util.LinkedHashMap;
import java.util.Map;

/** A lab guest (lab/guest) as lab tests read it: hf-iocheck's summary line, from a serial log or a command's output. */
final class LabGuest {
    private LabGuest() {
    }

    /** The last {@code HF-IOCHECK key=value ...} line of text, as a map; fails naming the text when there is none. */
    static Map<String, String> summary(String text) {
        String line = text.lines().filter(l -> l.startsWith("HF-IOCHECK ")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no HF-IOCHECK summary line in:\n" + text)).strip();
        Map<String, String> m = new LinkedHashMap<>();
        for (String kv : line.substring("HF-IOCHECK ".length()).split(" ")) {
            m.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        }
        return m;
    }

    /** A guest's serial log on a lab host, carriage returns removed ("" while there is none). */
    static String serialLog(String node, String serial) throws Exception {
        return Lab.ssh(node, "cat " + serial + " 2>/dev/null | tr -d '\\r'; true");
    }

    /** The serial log once it holds the checker's summary line, polled each second for up to seconds. */
    static String awaitSummary(String node, String serial, int seconds) throws Exception {
        String log = serialLog(node, serial);
        for (int i = 0; i < seconds && !log.contains("HF-IOCHECK "); i++) {
            Thread.sleep(1000);
            log = serialLog(node, serial);
        }
        return log;
    }

    /**
     * A play that boots a lab guest (the image pushed to imageDir) on node with one disk, checking /dev/vda with
     * hf-iocheck for seconds at boot, its serial console kept in serial; before: tasks ahead of it (indented 4), more:
     * further libvirt_domain arguments (indented 8), each "" for none.
     */
    static String checkingGuestPlay(String node, String name, String domainType, String imageDir, int seconds, String serial, String disk,
                                    String before, String more) {
        return """
                - hosts: %s
                  gather_facts: false
                  tasks:
                %s    - name: a lab guest that checks its disk at boot
                      libvirt_domain:
                        name: %s
                        domain_type: %s
                        machine: pc
                        memory_mib: 512
                        kernel: %s/vmlinuz
                        initrd: %s/initrd.img
                        cmdline: console=ttyS0 panic=-1 hf.check=/dev/vda hf.duration=%d
                        serial_log: %s
                        disks: [%s]
                        state: running
                %s""".formatted(node, before, name, domainType, imageDir, imageDir, seconds, serial, disk, more);
    }
}
