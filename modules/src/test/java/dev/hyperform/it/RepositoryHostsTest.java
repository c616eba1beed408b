package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No package registry's host name in the repository (code, docs, playbooks, scripts): mirrors come from the
 * machine's apt sources or the user's settings. The registry hosts are read from this machine's own package-client
 * configuration (apt sources, Maven settings' mirrors, npmrc), as the lab reads its mirror, so that no host name has
 * to be written here either.
 */
class RepositoryHostsTest {
    private static final Pattern APT_URI = Pattern.compile("(?m)^(?:URIs:\\s*|deb(?:-src)?\\s+(?:\\[[^]]*]\\s+)?)(\\S+.*)$");
    private static final Pattern URL_HOST = Pattern.compile("[a-z][a-z0-9+.-]*://(?:[^@/\\s]*@)?([^/:\\s\"<]+)");
    private static final Pattern XML_COMMENT = Pattern.compile("(?s)<!--.*?-->");
    private static final Pattern MIRROR_URL = Pattern.compile("(?s)<(?:mirror|repository)>.*?<url>([^<]+)</url>");
    private static final Pattern NPM_REGISTRY = Pattern.compile("(?m)^\\s*(?:@[^:]+:)?registry\\s*=\\s*(\\S+)");

    @Test
    void noRegistryHostOfThisMachineInTheRepository() throws IOException {
        Set<String> registries = registryHosts();
        assertFalse(registries.isEmpty(), "no package registry configured on this machine (apt sources): nothing to check against");
        Path home = Lab.home();
        Set<String> found = new TreeSet<>();
        try (Stream<Path> files = Files.walk(home)) {
            for (Path f : files.filter(Files::isRegularFile).filter(p -> tracked(home.relativize(p))).toList()) {
                String text = text(f);
                for (String host : registries) {
                    if (text != null && text.contains(host)) {
                        found.add(host + " in " + home.relativize(f));
                    }
                }
            }
        }
        assertEquals(Set.of(), found, "package registry host names in the repository (derive mirrors from /etc/apt sources or settings)");
    }

    /** The hosts of this machine's apt sources, Maven mirrors/repositories and npm registries. */
    static Set<String> registryHosts() throws IOException {
        Set<String> hosts = new TreeSet<>();
        List<Path> apt = Stream.concat(Stream.of(Path.of("/etc/apt/sources.list")), list(Path.of("/etc/apt/sources.list.d"))
                .filter(p -> p.toString().endsWith(".list") || p.toString().endsWith(".sources"))).toList();
        for (Path p : apt) {
            String t = text(p);
            Matcher m = APT_URI.matcher(t == null ? "" : t);
            while (m.find()) {
                hostsOf(m.group(1), hosts);
            }
        }
        for (Path p : List.of(Path.of(System.getProperty("user.home"), ".m2/settings.xml"), Path.of("/etc/maven/settings.xml"))) {
            String t = text(p);
            Matcher m = MIRROR_URL.matcher(t == null ? "" : XML_COMMENT.matcher(t).replaceAll(""));
            while (m.find()) {
                hostsOf(m.group(1), hosts);
            }
        }
        String npmrc = text(Path.of(System.getProperty("user.home"), ".npmrc"));
        Matcher m = NPM_REGISTRY.matcher(npmrc == null ? "" : npmrc);
        while (m.find()) {
            hostsOf(m.group(1), hosts);
        }
        return hosts;
    }

    private static void hostsOf(String urls, Set<String> into) {
        Matcher m = URL_HOST.matcher(urls);
        while (m.find()) {
            String host = m.group(1).toLowerCase();
            if (host.matches(".*[a-z].*")) { // names, not addresses (Maven's own http blocker mirror is an unroutable address)
                into.add(host);
            }
        }
    }

    private static Stream<Path> list(Path dir) throws IOException {
        return Files.isDirectory(dir) ? Files.list(dir).toList().stream() : Stream.empty();
    }

    private static String text(Path f) throws IOException {
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(f))).toString();
        } catch (CharacterCodingException binary) {
            return null;
        }
    }

    private static boolean tracked(Path rel) {
        for (Path part : rel) {
            String p = part.toString();
            if (p.equals(".git") || p.equals("target") || p.equals(".idea") || p.equals(".mvn")) {
                return false;
            }
        }
        return true;
    }
}
