package dev.hyperform.modules.libvirt;

import dev.hyperform.module.ModuleException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** The disks of a libvirt domain as {@code virsh dumpxml} shows them: what a live migration has to care about. */
public final class DomainDisks {
    private DomainDisks() {
    }

    /**
     * One {@code <disk>}: its type (vhostuser, network, file, block, volume), device (disk, cdrom, ...), target
     * dev (vda), source (a socket path, a file, a device, or POOL/IMAGE of a network disk), protocol of a network
     * disk (rbd), and whether it is read-only or shareable.
     */
    public record Disk(String type, String device, String target, String source, String protocol, boolean readonly, boolean shareable) {
        /** Writable storage that lives on this host alone: a live migration cannot take it along without copying it. */
        public boolean local() {
            return !type.equals("vhostuser") && !type.equals("network") && !readonly && !shareable && !source.isEmpty();
        }

        @Override
        public String toString() {
            return target + " (" + type + (protocol.isEmpty() ? "" : " " + protocol) + " " + source + ")";
        }
    }

    /** The disks of the domain XML; names the domain when the XML cannot be read. */
    public static List<Disk> of(String domain, String xml) {
        List<Disk> out = new ArrayList<>();
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            NodeList disks = f.newDocumentBuilder().parse(new InputSource(new StringReader(xml))).getElementsByTagName("disk");
            for (int i = 0; i < disks.getLength(); i++) {
                Element d = (Element) disks.item(i);
                Element source = first(d, "source");
                Element target = first(d, "target");
                String src = "";
                String protocol = "";
                if (source != null) {
                    protocol = source.getAttribute("protocol");
                    for (String a : List.of("path", "file", "dev", "name", "volume")) {
                        if (!source.getAttribute(a).isEmpty()) {
                            src = source.getAttribute(a);
                            break;
                        }
                    }
                }
                out.add(new Disk(d.getAttribute("type"), d.getAttribute("device").isEmpty() ? "disk" : d.getAttribute("device"),
                        target == null ? "" : target.getAttribute("dev"), src, protocol, first(d, "readonly") != null, first(d, "shareable") != null));
            }
        } catch (Exception e) {
            throw new ModuleException("cannot read the XML of domain " + domain + ": " + e.getMessage(), "check virsh dumpxml " + domain);
        }
        return out;
    }

    private static Element first(Element parent, String tag) {
        NodeList l = parent.getElementsByTagName(tag);
        return l.getLength() == 0 ? null : (Element) l.item(0);
    }
}
