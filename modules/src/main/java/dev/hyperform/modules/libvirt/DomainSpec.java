package dev.hyperform.modules.libvirt;

import java.util.List;

/**
 * The parts of a libvirt domain hyperform manages: name, memory, vCPUs, shared memory backing (hugepages or memfd,
 * as vhost-user needs), boot (kernel or disk), disks: vhost-user-blk sockets with reconnect, or files; the serial
 * console's log file (null: none), and a host port forwarded to the guest's sshd through QEMU user networking (0: no
 * network), bound to one address of the host (null: all its addresses; 127.0.0.1: reachable only from the host, as a
 * guest on a network only the nodes reach).
 */
public record DomainSpec(String name, long memoryMib, int vcpus, boolean hugepages, long hugepageKib, String domainType,
                         String machine, String emulator, String kernel, String initrd, String cmdline,
                         List<Disk> disks, String serialLog, int sshPort, String sshListen) {

    /**
     * One disk: {@code vhostuser} (socket, queues, reconnect seconds), {@code file} (path, format) or {@code rbd} (path
     * is POOL/IMAGE; QEMU's rbd driver, Ceph monitors as host[:port], cephx user and the uuid of the libvirt secret
     * holding its key, empty for librbd's defaults from ceph.conf).
     */
    public record Disk(String type, String target, String socket, int queues, int reconnectSeconds, String path, String format,
                       List<String> hosts, String user, String secretUuid) {
        public Disk {
            hosts = hosts == null ? List.of() : List.copyOf(hosts);
        }

        public Disk(String type, String target, String socket, int queues, int reconnectSeconds, String path, String format) {
            this(type, target, socket, queues, reconnectSeconds, path, format, List.of(), null, null);
        }
    }

    public DomainSpec {
        disks = List.copyOf(disks);
    }
}
