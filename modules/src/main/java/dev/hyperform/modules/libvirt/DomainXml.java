package dev.hyperform.modules.libvirt;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * Writes a {@link DomainSpec} as libvirt domain XML with the JDK's DOM (so every value is escaped), and reads the
 * managed parts back from {@code virsh dumpxml} output to compare them semantically.
 */
public final class DomainXml {
    private DomainXml() {
    }

    public static String write(DomainSpec s) {
        return write(s, null);
    }

    /**
     * The same with the uuid of the domain it redefines: libvirt refuses a definition of an existing name without
     * its uuid ("domain ... already exists with uuid ...").
     */
    static final String QEMU_NS = "http://libvirt.org/schemas/domain/qemu/1.0";
    private static final String NETDEV = "hfnet0";

    public static String write(DomainSpec s, String uuid) {
        try {
            Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
            Element dom = el(d, d, "domain");
            dom.setAttribute("type", s.domainType());
            text(d, dom, "name", s.name());
            if (uuid != null && !uuid.isEmpty()) {
                text(d, dom, "uuid", uuid);
            }
            Element mem = text(d, dom, "memory", Long.toString(s.memoryMib() * 1024));
            mem.setAttribute("unit", "KiB");
            text(d, dom, "vcpu", Integer.toString(s.vcpus()));
            Element mb = el(d, dom, "memoryBacking");
            if (s.hugepages()) {
                Element page = el(d, el(d, mb, "hugepages"), "page");
                page.setAttribute("size", Long.toString(s.hugepageKib()));
                page.setAttribute("unit", "KiB");
            }
            el(d, mb, "source").setAttribute("type", "memfd");
            el(d, mb, "access").setAttribute("mode", "shared");
            Element os = el(d, dom, "os");
            Element type = text(d, os, "type", "hvm");
            type.setAttribute("arch", "x86_64");
            type.setAttribute("machine", s.machine());
            if (s.kernel() != null) {
                text(d, os, "kernel", s.kernel());
                if (s.initrd() != null) {
                    text(d, os, "initrd", s.initrd());
                }
                if (s.cmdline() != null) {
                    text(d, os, "cmdline", s.cmdline());
                }
            } else {
                el(d, os, "boot").setAttribute("dev", "hd");
            }
            Element cpu = el(d, dom, "cpu");
            Element cell = el(d, el(d, cpu, "numa"), "cell");
            cell.setAttribute("id", "0");
            cell.setAttribute("cpus", s.vcpus() == 1 ? "0" : "0-" + (s.vcpus() - 1));
            cell.setAttribute("memory", Long.toString(s.memoryMib() * 1024));
            cell.setAttribute("unit", "KiB");
            cell.setAttribute("memAccess", "shared");
            Element devices = el(d, dom, "devices");
            text(d, devices, "emulator", s.emulator());
            for (DomainSpec.Disk disk : s.disks()) {
                Element de = el(d, devices, "disk");
                de.setAttribute("device", "disk");
                Element driver = el(d, de, "driver");
                driver.setAttribute("name", "qemu");
                driver.setAttribute("type", disk.type().equals("vhostuser") ? "raw" : disk.format());
                Element src = el(d, de, "source");
                if (disk.type().equals("vhostuser")) {
                    de.setAttribute("type", "vhostuser");
                    driver.setAttribute("queues", Integer.toString(disk.queues()));
                    src.setAttribute("type", "unix");
                    src.setAttribute("path", disk.socket());
                    Element rc = el(d, src, "reconnect");
                    rc.setAttribute("enabled", disk.reconnectSeconds() > 0 ? "yes" : "no");
                    if (disk.reconnectSeconds() > 0) {
                        rc.setAttribute("timeout", Integer.toString(disk.reconnectSeconds()));
                    }
                } else if (disk.type().equals("rbd")) {
                    de.setAttribute("type", "network");
                    src.setAttribute("protocol", "rbd");
                    src.setAttribute("name", disk.path());
                    for (String h : disk.hosts()) {
                        Element host = el(d, src, "host");
                        int colon = h.lastIndexOf(':');
                        host.setAttribute("name", colon < 0 ? h : h.substring(0, colon));
                        if (colon >= 0) {
                            host.setAttribute("port", h.substring(colon + 1));
                        }
                    }
                    if (disk.user() != null) {
                        Element auth = el(d, src, "auth");
                        auth.setAttribute("username", disk.user());
                        Element secret = el(d, auth, "secret");
                        secret.setAttribute("type", "ceph");
                        secret.setAttribute("uuid", disk.secretUuid());
                    }
                } else {
                    de.setAttribute("type", "file");
                    src.setAttribute("file", disk.path());
                }
                Element t = el(d, de, "target");
                t.setAttribute("dev", disk.target());
                t.setAttribute("bus", "virtio");
            }
            Element serial = el(d, devices, "serial");
            serial.setAttribute("type", "pty");
            if (s.serialLog() != null) {
                Element log = el(d, serial, "log");
                log.setAttribute("file", s.serialLog());
                log.setAttribute("append", "off");
            }
            Element console = el(d, devices, "console");
            console.setAttribute("type", "pty");
            if (s.sshPort() > 0) {
                // libvirt 9.0 forwards ports only with the passt backend; QEMU's own user networking does it with hostfwd.
                // The NIC gets a fixed slot at the end of the root bus: without one it takes the slot libvirt gives its first disk
                dom.setAttributeNS(javax.xml.XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns:qemu", QEMU_NS);
                Element cl = d.createElementNS(QEMU_NS, "qemu:commandline");
                dom.appendChild(cl);
                for (String a : List.of("-netdev", "user,id=" + NETDEV + ",hostfwd=tcp:" + (s.sshListen() == null ? "" : s.sshListen()) + ":" + s.sshPort() + "-:22",
                        "-device", "virtio-net-pci,netdev=" + NETDEV + ",addr=0x1e")) {
                    Element arg = d.createElementNS(QEMU_NS, "qemu:arg");
                    arg.setAttribute("value", a);
                    cl.appendChild(arg);
                }
            }
            var tf = TransformerFactory.newInstance().newTransformer();
            tf.setOutputProperty(OutputKeys.INDENT, "yes");
            tf.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            tf.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
            StringWriter w = new StringWriter();
            tf.transform(new DOMSource(d), new StreamResult(w));
            return w.toString();
        } catch (Exception e) {
            throw new IllegalStateException("cannot write domain XML: " + e, e);
        }
    }

    /**
     * The managed parts of a domain, as comparable text: every value {@link #write} puts into the XML, one line
     * each, so that any changed argument plans a define and the diff names it.
     */
    public static List<String> managed(String xml) {
        List<String> out = new ArrayList<>();
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            Document d = f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
            Element root = d.getDocumentElement();
            out.add("name=" + first(root, "name"));
            out.add("domain_type=" + root.getAttribute("type"));
            out.add("machine=" + attr(root, "type", "machine"));
            out.add("emulator=" + first(root, "emulator"));
            out.add("memory_kib=" + kib((Element) root.getElementsByTagName("memory").item(0)));
            out.add("vcpu=" + first(root, "vcpu"));
            out.add("hugepages=" + (root.getElementsByTagName("hugepages").getLength() > 0 ? attr(root, "page", "size") + " KiB" : "no"));
            out.add("memory_source=" + attr(root, "source", "type", "memoryBacking") + " access=" + attr(root, "access", "mode", "memoryBacking"));
            out.add("numa_mem_access=" + attr(root, "cell", "memAccess"));
            out.add("kernel=" + first(root, "kernel"));
            out.add("initrd=" + first(root, "initrd"));
            out.add("cmdline=" + first(root, "cmdline"));
            out.add("serial_log=" + attr(root, "log", "file", "serial"));
            String forward = sshForward(root);
            out.add("ssh_port=" + forward.substring(forward.lastIndexOf(':') + 1));
            out.add("ssh_listen=" + forward.substring(0, Math.max(0, forward.lastIndexOf(':'))));
            NodeList disks = root.getElementsByTagName("disk");
            for (int i = 0; i < disks.getLength(); i++) {
                Element disk = (Element) disks.item(i);
                Element src = (Element) disk.getElementsByTagName("source").item(0);
                Element tgt = (Element) disk.getElementsByTagName("target").item(0);
                Element drv = (Element) disk.getElementsByTagName("driver").item(0);
                NodeList rc = disk.getElementsByTagName("reconnect");
                String reconnect = rc.getLength() == 0 ? "" : ((Element) rc.item(0)).getAttribute("enabled").equals("yes")
                        ? " reconnect=" + ((Element) rc.item(0)).getAttribute("timeout") : " reconnect=no";
                out.add("disk " + tgt.getAttribute("dev") + " " + disk.getAttribute("type") + " "
                        + (src == null ? "" : src.getAttribute("path") + src.getAttribute("file") + network(src))
                        + (drv == null ? "" : " format=" + drv.getAttribute("type")
                        + (drv.getAttribute("queues").isEmpty() ? "" : " queues=" + drv.getAttribute("queues")))
                        + reconnect);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot read domain XML: " + e.getMessage(), e);
        }
        return out;
    }

    /** A network disk's source as one text: protocol:name, its hosts, its cephx user and secret ("" for other disks). */
    private static String network(Element src) {
        if (src.getAttribute("protocol").isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder(src.getAttribute("protocol")).append(':').append(src.getAttribute("name"));
        NodeList hosts = src.getElementsByTagName("host");
        for (int i = 0; i < hosts.getLength(); i++) {
            Element h = (Element) hosts.item(i);
            b.append(i == 0 ? " hosts=" : ",").append(h.getAttribute("name")).append(h.getAttribute("port").isEmpty() ? "" : ":" + h.getAttribute("port"));
        }
        NodeList auth = src.getElementsByTagName("auth");
        if (auth.getLength() > 0) {
            Element a = (Element) auth.item(0);
            NodeList secret = a.getElementsByTagName("secret");
            b.append(" user=").append(a.getAttribute("username"))
                    .append(" secret=").append(secret.getLength() == 0 ? "" : ((Element) secret.item(0)).getAttribute("uuid"));
        }
        return b.toString();
    }

    /**
     * libvirt stores a machine alias resolved ({@code q35} becomes {@code pc-q35-7.2}, {@code pc} becomes
     * {@code pc-i440fx-7.2}): an existing domain's resolved machine counts as the alias the arguments name.
     */
    public static List<String> withMachineAlias(List<String> existing, List<String> wanted) {
        String want = wanted.stream().filter(l -> l.startsWith("machine=")).findFirst().orElse("");
        String prefix = switch (want) {
            case "machine=q35" -> "machine=pc-q35-";
            case "machine=pc" -> "machine=pc-i440fx-";
            default -> null;
        };
        if (prefix == null) {
            return existing;
        }
        return existing.stream().map(l -> l.startsWith(prefix) ? want : l).toList();
    }

    /** The uuid of a domain's XML ("" when it has none). */
    public static String uuid(String xml) {
        try {
            Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
            return first(d.getDocumentElement(), "uuid");
        } catch (Exception e) {
            throw new IllegalStateException("cannot read domain XML: " + e.getMessage(), e);
        }
    }

    /** The host port of the guest-ssh forward in the domain's qemu:commandline ("" when there is none). */
    /** The guest's ssh forward as ADDRESS:PORT (":PORT" on all addresses; "" without one). */
    private static String sshForward(Element root) {
        NodeList args = root.getElementsByTagNameNS(QEMU_NS, "arg");
        for (int i = 0; i < args.getLength(); i++) {
            String v = ((Element) args.item(i)).getAttribute("value");
            int at = v.indexOf(",hostfwd=tcp:");
            if (v.startsWith("user,id=" + NETDEV) && at >= 0) {
                return v.substring(at + ",hostfwd=tcp:".length(), v.indexOf("-:22", at));
            }
        }
        return "";
    }

    private static long kib(Element mem) {
        long v = Long.parseLong(mem.getTextContent().strip());
        String unit = mem.getAttribute("unit");
        return unit.equals("MiB") ? v * 1024 : unit.equals("GiB") ? v * 1024 * 1024 : v;
    }

    private static String attr(Element root, String tag, String name) {
        NodeList l = root.getElementsByTagName(tag);
        return l.getLength() == 0 ? "" : ((Element) l.item(0)).getAttribute(name);
    }

    /** An attribute of the first {@code tag} inside the first {@code parent}. */
    private static String attr(Element root, String tag, String name, String parent) {
        NodeList p = root.getElementsByTagName(parent);
        return p.getLength() == 0 ? "" : attr((Element) p.item(0), tag, name);
    }

    private static String first(Element root, String tag) {
        NodeList l = root.getElementsByTagName(tag);
        return l.getLength() == 0 ? "" : l.item(0).getTextContent().strip();
    }

    private static Element el(Document d, org.w3c.dom.Node parent, String name) {
        Element e = d.createElement(name);
        parent.appendChild(e);
        return e;
    }

    private static Element text(Document d, Element parent, String name, String value) {
        Element e = el(d, parent, name);
        e.setTextContent(value);
        return e;
    }
}
