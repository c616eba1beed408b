package dev.hyperform.transport.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * OpenSSH known_hosts files: plain and hashed ({@code |1|salt|hash}) host fields, {@code [host]:port} for
 * non-standard ports, negation and wildcards. Answers whether a presented key is known, unknown or CHANGED,
 * with the fingerprints a person needs to decide.
 */
final class KnownHosts {
    /** One matching line: where it is, its key type and key blob. */
    record Entry(Path file, int line, String keyType, byte[] blob) {
        String fingerprint() {
            return KnownHosts.fingerprint(blob);
        }
    }

    enum Verdict { KNOWN, UNKNOWN, CHANGED }

    record Check(Verdict verdict, List<Entry> sameType) {
    }

    private final List<Path> files;

    KnownHosts(List<Path> files) {
        this.files = files;
    }

    static String hostField(String host, int port) {
        return port == 22 ? host : "[" + host + "]:" + port;
    }

    Check check(String host, int port, String keyType, byte[] blob) {
        String name = hostField(host, port);
        List<Entry> sameType = new ArrayList<>();
        for (Entry e : entries(name)) {
            if (e.keyType.equals(keyType)) {
                if (java.util.Arrays.equals(e.blob, blob)) {
                    return new Check(Verdict.KNOWN, List.of(e));
                }
                sameType.add(e);
            }
        }
        return new Check(sameType.isEmpty() ? Verdict.UNKNOWN : Verdict.CHANGED, sameType);
    }

    /** Record a new key (accept-new) in the first file. */
    void add(String host, int port, String keyType, byte[] blob) throws IOException {
        Path f = files.get(0);
        if (f.getParent() != null) {
            Files.createDirectories(f.getParent());
        }
        String line = hostField(host, port) + " " + keyType + " " + Base64.getEncoder().encodeToString(blob) + "\n";
        Files.writeString(f, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    List<String> knownKeyTypes(String host, int port) {
        List<String> types = new ArrayList<>();
        for (Entry e : entries(hostField(host, port))) {
            if (!types.contains(e.keyType)) {
                types.add(e.keyType);
            }
        }
        return types;
    }

    private List<Entry> entries(String name) {
        List<Entry> out = new ArrayList<>();
        for (Path f : files) {
            if (!Files.isReadable(f)) {
                continue;
            }
            List<String> lines;
            try {
                lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            } catch (IOException e) {
                continue;
            }
            for (int i = 0; i < lines.size(); i++) {
                String l = lines.get(i).strip();
                if (l.isEmpty() || l.startsWith("#") || l.startsWith("@")) {
                    continue;
                }
                String[] parts = l.split("\\s+");
                if (parts.length < 3 || !matches(parts[0], name)) {
                    continue;
                }
                try {
                    out.add(new Entry(f, i + 1, parts[1], Base64.getDecoder().decode(parts[2])));
                } catch (IllegalArgumentException ignored) {
                    // a malformed key field: OpenSSH skips it as well
                }
            }
        }
        return out;
    }

    static boolean matches(String hostsField, String name) {
        if (hostsField.startsWith("|1|")) {
            String[] p = hostsField.split("\\|");
            if (p.length < 4) {
                return false;
            }
            try {
                Mac mac = Mac.getInstance("HmacSHA1");
                mac.init(new SecretKeySpec(Base64.getDecoder().decode(p[2]), "HmacSHA1"));
                byte[] h = mac.doFinal(name.getBytes(StandardCharsets.UTF_8));
                return Base64.getEncoder().encodeToString(h).equals(p[3]);
            } catch (Exception e) {
                return false;
            }
        }
        boolean matched = false;
        for (String pattern : hostsField.split(",")) {
            boolean negate = pattern.startsWith("!");
            String pat = negate ? pattern.substring(1) : pattern;
            if (glob(pat, name)) {
                if (negate) {
                    return false;
                }
                matched = true;
            }
        }
        return matched;
    }

    private static boolean glob(String pattern, String name) {
        if (!pattern.contains("*") && !pattern.contains("?")) {
            return pattern.equals(name);
        }
        StringBuilder re = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            re.append(c == '*' ? ".*" : c == '?' ? "." : java.util.regex.Pattern.quote(String.valueOf(c)));
        }
        return name.matches(re.toString());
    }

    /** SHA256 fingerprint as ssh-keygen -l prints it. */
    static String fingerprint(byte[] blob) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
