package dev.hyperform.modules.libvirt;

import java.util.List;

/**
 * The parts of a libvirt domain hyperform manages: name, memory, vCPUs, shared memory backing (hugepages or memfd,
 * as vhost-user needs), boot (kernel or disk), disks: vhost-user-blk sockets with reconnect, or files; the serial
 * console's log file (null: none), and a host port forwarded to the guest's sshd through QEMU user networking (0: no
 * network).
 */
public record DomainSpec(String name, long memoryMib, int vcpus, boolean hugepages, long hugepageKib, String domainType,
                         String machine, String emulator, String kernel, String initrd, String cmdline,
                         List<Disk> disks, String serialLog, int sshPort) {

    /** One disk: {@code vhostuser} (socket, queues, reconnect seconds) or {@code file} (path, format). */
    public record Disk(String type, String target, String socket, int queues, int reconnectSeconds, String path, String format) {
    }

    public DomainSpec {
        disks = List.copyOf(disks);
    }
}
