package dev.hyperform.it;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

/**
 * The patched virt-launcher's half of the SPDK-vhost protocol (stack.md §1.4), byte for byte as WSF's KubeVirt patches
 * 0017/0019 write and read /var/tmp/vhost.message: a new request creates the file (header + section) or rewrites
 * the header at offset 0 without truncating (Go's {@code WriteAt}) and appends its section; a Delete rewrites the
 * header the same way; the answer is read from the last line that contains RESULT, split at ';' and ':'.
 */
final class VirtLauncherSide {
    /** The message file on some node: read it, write at offset 0 without truncating, append, create. */
    interface MessageFile {
        boolean exists();

        byte[] read();

        void writeAtStart(byte[] bytes);

        void append(byte[] bytes);

        void create(byte[] bytes);

        void delete();
    }

    /** One request as virt-launcher remembers it. */
    record Request(String name, String uuid, int queue, long mib) {
        String socket() {
            return "vhost." + name;
        }
    }

    private final MessageFile file;

    VirtLauncherSide(MessageFile file) {
        this.file = file;
    }

    static String header(int queue, String status) {
        return "BridgePath=\"/var/tmp/\"\nWorkItem=Queue" + queue + "\nWorkItemStatus=" + status + "\n---\n";
    }

    static String section(int queue, int diskIndex, String name, String uuid, long mib) {
        return "Queue" + queue + ":\nQ_INDEX=" + queue + "\nV_INDEX=" + diskIndex + "\nNAME=" + name + "\nUUID=" + uuid
                + "\nUNIT=M\nCAPACITY=" + mib + "\nWORKSTATUS=NEW\nRESULT={}\n---\n";
    }

    /** Convert_v1_SpdkVhostBlkDiskSource_To_api_Disk's write: NAME = POD_NAME-diskIndex, capacity in MiB. */
    Request request(String pod, int diskIndex, long mib) {
        String name = pod + "-" + diskIndex;
        String uuid = UUID.randomUUID().toString();
        int queue;
        if (file.exists()) {
            queue = queueIndex(text()) + 1;
            file.writeAtStart(bytes(header(queue, "New")));
            file.append(bytes(section(queue, diskIndex, name, uuid, mib)));
        } else {
            queue = 1;
            file.create(bytes(header(queue, "New") + section(queue, diskIndex, name, uuid, mib)));
        }
        return new Request(name, uuid, queue, mib);
    }

    /** DestroyVhostBlkDisk: the header names the queue and says Delete. */
    void delete(Request r) {
        file.writeAtStart(bytes(header(r.queue(), "Delete")));
    }

    /** getMessage: status and uuid of the last RESULT line ("", "" when it has fewer than 10 fields). */
    static String[] result(String content) {
        String[] fields = new String[0];
        for (String line : content.split("\n", -1)) {
            if (line.contains("RESULT")) {
                fields = Arrays.stream(line.split("[;:]")).filter(s -> !s.isEmpty()).toArray(String[]::new);
            }
        }
        return fields.length < 10 ? new String[] {"", ""} : new String[] {fields[1], fields[9]};
    }

    /** getQueueIndex: the number after "Queue" on the first line that contains WorkItem. */
    static int queueIndex(String content) {
        for (String line : content.split("\n", -1)) {
            if (line.contains("WorkItem")) {
                String[] parts = line.split("Queue", -1);
                try {
                    return parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }

    /** What virt-launcher waits for: status complete with its own uuid on the last RESULT line. */
    boolean answered(Request r) {
        String[] res = result(text());
        return res[0].equals("complete") && res[1].equals(r.uuid());
    }

    String text() {
        return new String(file.read(), StandardCharsets.UTF_8);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
