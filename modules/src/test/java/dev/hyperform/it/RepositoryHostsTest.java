package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No package registry's host name in the repository (code, docs, playbooks, scripts): mirrors come from the
 * machine's apt sources or the user's settings. Every host-like name in the tree must be one of the known
 * non-registry ones below (XML namespaces, project sites, example names); a new one fails here so that someone
 * decides. Java package names (java.io, org.junit..., dev.hyperform...) are not hosts.
 */
class RepositoryHostsTest {
    private static final Set<String> KNOWN = Set.of("www.w3.org", "relaxng.org", "maven.apache.org", "libvirt.org",
            "yaml.org", "github.com", "xml.apache.org", "example.org", "example.com", "web.archive.org", "novell.com",
            "netcf.org", "dbus.freedesktop.org", "blog.mes-stats.fr");
    private static final Pattern HOST = Pattern.compile(
            "(?i)\\b[a-z0-9-]+(\\.[a-z0-9-]+)*\\.(org|com|net|io|fr|de|uk|edu|info|dev)\\b");
    private static final Pattern JAVA_PACKAGE = Pattern.compile("(?i)^(java|javax|org|com|dev|jdk|sun)\\..*");

    @Test
    void noHostNameOutsideTheKnownNonRegistryOnes() throws IOException {
        Path home = Lab.home();
        Set<String> found = new TreeSet<>();
        try (Stream<Path> files = Files.walk(home)) {
            for (Path f : files.filter(Files::isRegularFile).filter(p -> tracked(home.relativize(p))).toList()) {
                String text;
                try {
                    text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(f))).toString();
                } catch (CharacterCodingException binary) {
                    continue;
                }
                Matcher m = HOST.matcher(text);
                while (m.find()) {
                    String h = m.group().toLowerCase();
                    if (!JAVA_PACKAGE.matcher(h).matches() && !KNOWN.contains(h) && !h.endsWith(".example.com")) {
                        found.add(h + " in " + home.relativize(f));
                    }
                }
            }
        }
        assertEquals(Set.of(), found, "host names in the repository (a package registry's must not be there; derive "
                + "mirrors from /etc/apt sources or settings)");
    }

    private static boolean tracked(Path rel) {
        for (Path part : rel) {
            String p = part.toString();
            if (p.equals(".git") || p.equals("target") || p.equals(".idea")) {
                return false;
            }
        }
        return true;
    }
}
