package dev.hyperform.modules.libvirt;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * One vhost-user-blk disk of a running libvirt domain, read from its live XML ({@code virsh dumpxml}): a
 * {@code <disk type='vhostuser'>} (libvirt names its chardev {@code chr-vu-ALIAS}) or, as the SPDK-vhost KubeVirt
 * build writes it, a {@code -chardev socket,id=ID,path=...} of {@code <qemu:commandline>} that a
 * {@code vhost-user-blk-pci} device uses. {@code reconnect} is the chardev's reconnect interval in seconds, null
 * when it has none: QEMU then drops the disk for good when its backend goes away.
 */
record VhostUserDisk(String vm, String disk, String socket, String chardev, Long reconnect) {

    /** Every vhost-user-blk disk in one domain's XML. */
    static List<VhostUserDisk> of(String vm, String xml) {
        Document d;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            d = f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
        } catch (Exception e) {
            throw new IllegalArgumentException("virsh dumpxml " + vm + " is not XML: " + e.getMessage(), e);
        }
        List<VhostUserDisk> out = new ArrayList<>();
        NodeList disks = d.getElementsByTagName("disk");
        for (int i = 0; i < disks.getLength(); i++) {
            Element disk = (Element) disks.item(i);
            if (!disk.getAttribute("type").equals("vhostuser")) {
                continue;
            }
            Element source = child(disk, "source");
            Element target = child(disk, "target");
            Element alias = child(disk, "alias");
            Long reconnect = null;
            Element rc = source == null ? null : child(source, "reconnect");
            if (rc != null && rc.getAttribute("enabled").equals("yes")) {
                reconnect = rc.getAttribute("timeout").isEmpty() ? 1L : Long.parseLong(rc.getAttribute("timeout"));
            }
            out.add(new VhostUserDisk(vm, target == null ? "?" : target.getAttribute("dev"), source == null ? "" : source.getAttribute("path"),
                    alias == null ? "" : "chr-vu-" + alias.getAttribute("name"), reconnect));
        }
        // the SPDK-vhost KubeVirt build: -chardev socket,... and -device vhost-user-blk-pci,chardev=ID as QEMU arguments
        NodeList args = d.getElementsByTagName("qemu:arg");
        Map<String, Map<String, String>> chardevs = new LinkedHashMap<>();
        List<String> blkChardevs = new ArrayList<>();
        for (int i = 0; i + 1 < args.getLength(); i++) {
            String flag = ((Element) args.item(i)).getAttribute("value");
            String value = ((Element) args.item(i + 1)).getAttribute("value");
            if (flag.equals("-chardev") && value.startsWith("socket,")) {
                Map<String, String> o = options(value);
                chardevs.put(o.getOrDefault("id", ""), o);
            } else if (flag.equals("-device") && value.startsWith("vhost-user-blk")) {
                blkChardevs.add(options(value).getOrDefault("chardev", ""));
            }
        }
        for (String id : blkChardevs) {
            Map<String, String> o = chardevs.get(id);
            if (o != null && o.containsKey("path")) {
                String r = o.getOrDefault("reconnect", o.containsKey("reconnect-ms") ? String.valueOf(Math.max(1, Long.parseLong(o.get("reconnect-ms")) / 1000)) : "0");
                long seconds = Long.parseLong(r);
                out.add(new VhostUserDisk(vm, "qemu:commandline " + id, o.get("path"), id, seconds > 0 ? seconds : null));
            }
        }
        return out;
    }

    private static Map<String, String> options(String value) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String part : value.split(",")) {
            int eq = part.indexOf('=');
            m.put(eq < 0 ? part : part.substring(0, eq), eq < 0 ? "" : part.substring(eq + 1));
        }
        return m;
    }

    private static Element child(Element parent, String name) {
        NodeList l = parent.getChildNodes();
        for (int i = 0; i < l.getLength(); i++) {
            if (l.item(i) instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    /** The controller name SPDK serves this socket under: the socket's file name in SPDK's -S directory. */
    String controller() {
        return socket.substring(socket.lastIndexOf('/') + 1);
    }

    String where() {
        return "VM '" + vm + "' disk " + disk + " (socket " + socket + ")";
    }
}
