package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.ExitCode;
import dev.hyperform.modules.kubernetes.KubeApiDouble;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the Kubernetes modules get their credentials, and that the credentials go nowhere else, through the whole
 * engine against the DECLARED Kubernetes API double ({@link KubeApiDouble}): the {@code KUBECONFIG} environment
 * route (in a separate JVM, since the environment is the process's), and that bearer tokens, client keys and
 * certificates and the kubeconfig's contents never appear in the console (stdout and stderr), the JSON-lines events,
 * the JUnit XML report or an error message, whatever the run does (apply with --diff and -vvv, register and print a
 * k8s_info result, 401, 403, unknown kind, unusable kubeconfigs, a control plane's kubeconfig read over its connection).
 */
class K8sCredentialsTest {
    private static final String TOKEN = "tok3n-that-must-never-show-5f2a9c71";

    private static String tokenKubeconfig(String server, String token) {
        return KubeApiDouble.kubeconfig(server, token);
    }

    private static String certKubeconfig(String server, String certData, String keyData) {
        return """
                apiVersion: v1
                kind: Config
                current-context: admin@double
                contexts:
                - name: admin@double
                  context: {cluster: double, user: kubernetes-admin}
                clusters:
                - name: double
                  cluster: {server: "%s"}
                users:
                - name: kubernetes-admin
                  user:
                    client-certificate-data: %s
                    client-key-data: %s
                """.formatted(server, certData, keyData);
    }

    /** A real certificate and its PKCS#8 key (the ones fabric8's mock web server ships), as kubeconfig data fields. */
    private static String[] certAndKey() throws Exception {
        String cert = resource("ssl/fabric8.crt");
        String key = resource("ssl/fabric8-private-key.pem");
        if (!key.contains("BEGIN")) {
            key = "-----BEGIN PRIVATE KEY-----\n" + key.strip() + "\n-----END PRIVATE KEY-----\n";
        }
        Base64.Encoder b = Base64.getEncoder();
        return new String[] {b.encodeToString(cert.getBytes(StandardCharsets.US_ASCII)),
                b.encodeToString(key.getBytes(StandardCharsets.US_ASCII)), key.lines().skip(1).findFirst().orElseThrow()};
    }

    private static String resource(String name) throws Exception {
        try (InputStream in = KubeApiDouble.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    /** Every output of one run: stdout and stderr, the events file, the JUnit XML. */
    private record Outputs(Lab.Run run, String stderr, String junit) {
        String all() {
            return run.console() + "\n" + stderr + "\n" + run.eventsText() + "\n" + junit;
        }
    }

    private static Outputs play(Path dir, String... args) throws Exception {
        Path junit = dir.resolve("junit-" + System.nanoTime() + ".xml");
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--junit", junit.toString()));
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Lab.Run r;
        try (PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            System.setErr(capture);
            r = Lab.play(dir, all.toArray(String[]::new));
        } finally {
            System.setErr(err);
        }
        return new Outputs(r, buf.toString(StandardCharsets.UTF_8), Files.exists(junit) ? Files.readString(junit) : "");
    }

    @Test
    void tokensClientKeysAndKubeconfigContentsNeverReachConsoleEventsJUnitOrErrors(@TempDir Path dir) throws Exception {
        String[] ck = certAndKey();
        try (KubeApiDouble api = new KubeApiDouble()) {
            Path token = Lab.write(dir, "token.conf", tokenKubeconfig(api.url(), TOKEN));
            Path viewer = Lab.write(dir, "viewer.conf", tokenKubeconfig(api.url(), KubeApiDouble.VIEWER_TOKEN));
            Path expired = Lab.write(dir, "expired.conf", tokenKubeconfig(api.url(), KubeApiDouble.EXPIRED_TOKEN));
            Path cert = Lab.write(dir, "cert.conf", certKubeconfig(api.url(), ck[0], ck[1]));
            Path badYaml = Lab.write(dir, "bad-yaml.conf", tokenKubeconfig(api.url(), TOKEN + ": [x"));
            Path badKey = Lab.write(dir, "bad-key.conf", certKubeconfig(api.url(), ck[0],
                    Base64.getEncoder().encodeToString(("-----BEGIN PRIVATE KEY-----\n" + TOKEN + "\n-----END PRIVATE KEY-----\n").getBytes())));
            Path inventory = Lab.write(dir, "hosts", "localhost ansible_connection=local\ncp1 ansible_connection=local\n");
            Path pb = Lab.write(dir, "p.yaml", """
                    - hosts: localhost
                      gather_facts: false
                      tasks:
                        - name: apply
                          k8s: {kubeconfig: %1$s, definition: {apiVersion: v1, kind: ConfigMap, metadata: {name: c1}, data: {a: '1'}}}
                        - name: apply with a client certificate
                          k8s: {kubeconfig: %2$s, definition: {apiVersion: v1, kind: ConfigMap, metadata: {name: c2}}}
                        - name: read
                          k8s_info: {kubeconfig: %1$s, kind: ConfigMap, name: c1, namespace: default}
                          register: got
                        - name: show
                          debug: {var: got}
                        - name: forbidden
                          k8s: {kubeconfig: %3$s, definition: {apiVersion: v1, kind: ConfigMap, metadata: {name: c3}}}
                          ignore_errors: true
                        - name: unauthorized
                          k8s: {kubeconfig: %4$s, definition: {apiVersion: v1, kind: ConfigMap, metadata: {name: c4}}}
                          ignore_errors: true
                        - name: unknown kind
                          k8s: {kubeconfig: %1$s, definition: {apiVersion: app/v1, kind: Deployment, metadata: {name: d}}}
                          ignore_errors: true
                        - name: not yaml
                          k8s: {kubeconfig: %5$s, definition: {apiVersion: v1, kind: ConfigMap, metadata: {name: c5}}}
                          ignore_errors: true
                        - name: bad key
                          k8s: {kubeconfig: %6$s, definition: {apiVersion: v1, kind: ConfigMap, metadata: {name: c6}}}
                          ignore_errors: true
                        - name: from the control plane
                          k8s: {control_plane: cp1, control_plane_kubeconfig: %1$s, definition: {apiVersion: v1, kind: ConfigMap, metadata: {name: c7}}}
                    """.formatted(token, cert, viewer, expired, badYaml, badKey));
            Outputs first = play(dir, "-i", inventory.toString(), pb.toString(), "--diff", "-vvv");
            assertEquals(ExitCode.OK, first.run().exitCode(), first.all());
            for (String task : List.of("forbidden", "unauthorized", "unknown kind", "not yaml", "bad key")) {
                assertEquals("ignored", KubeDoublePlay.status(first.run(), task), task + ": " + first.all());
            }
            assertTrue(first.junit().contains("testcase"), first.junit());
            assertTrue(first.run().console().contains("kubeconfig user 'tester' (context 'double', bearer token"), first.run().console());

            // a client certificate the API does not accept: the identity names its kind, not its contents
            api.refuseAnonymous = true;
            Path pb2 = Lab.write(dir, "p2.yaml", """
                    - hosts: localhost
                      gather_facts: false
                      tasks:
                        - name: refused certificate
                          k8s: {kubeconfig: %s, definition: {apiVersion: v1, kind: ConfigMap, metadata: {name: c8}}}
                          ignore_errors: true
                        - name: refused certificate from the control plane
                          k8s: {control_plane: cp1, control_plane_kubeconfig: %s, definition: {apiVersion: v1, kind: ConfigMap, metadata: {name: c9}}}
                    """.formatted(cert, cert));
            Outputs second = play(dir, "-i", inventory.toString(), pb2.toString(), "-vvv");
            assertEquals(ExitCode.TASK_FAILED, second.run().exitCode(), second.all());
            String refused = KubeDoublePlay.message(second.run(), "refused certificate");
            assertTrue(refused.contains("unauthorized (401)") && refused.contains("kubeconfig user 'kubernetes-admin' "
                    + "(context 'admin@double', client certificate, kubeconfig " + cert + ")")
                    && refused.contains("kubeadm certs renew"), refused);
            assertTrue(KubeDoublePlay.message(second.run(), "refused certificate from the control plane")
                    .contains("client certificate, kubeconfig cp1:" + cert), second.all());
            assertTrue(second.junit().contains("<failure message=\"unauthorized (401)"), second.junit());

            List<String> secrets = List.of(TOKEN, KubeApiDouble.VIEWER_TOKEN, KubeApiDouble.EXPIRED_TOKEN,
                    ck[0].substring(0, 40), ck[1].substring(0, 40), ck[2], "client-key-data", "current-context");
            for (Outputs o : List.of(first, second)) {
                for (String secret : secrets) {
                    assertFalse(o.run().console().contains(secret), "in the console: " + secret);
                    assertFalse(o.stderr().contains(secret), "on stderr: " + secret);
                    assertFalse(o.run().eventsText().contains(secret), "in the events: " + secret);
                    assertFalse(o.junit().contains(secret), "in the JUnit XML: " + secret);
                }
            }
        }
    }

    /** A table row: KUBECONFIG (null = unset), the play's k8s_kubeconfig (null = none), the exit code expected. */
    private record Route(String why, String kubeconfigEnv, String playVar, int exit) {
    }

    @Test
    void kubeconfigsListedInTheEnvironmentAreMergedAndUsedAfterTaskAndPlayAndBeforeTheHomeDirectory(@TempDir Path dir) throws Exception {
        try (KubeApiDouble api = new KubeApiDouble()) {
            Path good = Lab.write(dir, "good.conf", tokenKubeconfig(api.url(), TOKEN));
            Path dead = Lab.write(dir, "dead.conf", tokenKubeconfig("http://127.0.0.1:1", TOKEN));
            Path home = Files.createDirectories(dir.resolve("home/.kube")).getParent();
            Files.copy(good, home.resolve(".kube/config"));
            // a file that only chooses a context, which another file of the list defines
            Path head = Lab.write(dir, "head.conf", "apiVersion: v1\nkind: Config\ncurrent-context: other\n");
            Path other = Lab.write(dir, "other.conf", tokenKubeconfig(api.url(), TOKEN).replace("current-context: double\n", "")
                    .replace("name: double\n  context", "name: other\n  context"));
            Path inventory = Lab.write(dir, "hosts", "localhost ansible_connection=local\n");
            List<Route> table = List.of(
                    new Route("KUBECONFIG's first file", good + ":" + dead, null, ExitCode.OK),
                    new Route("the first file's entry of a name wins (as kubectl), and KUBECONFIG before ~/.kube/config",
                            dead + ":" + good, null, ExitCode.UNREACHABLE),
                    new Route("KUBECONFIG's files merged: current-context from one, the context from another, a missing "
                            + "file skipped", head + ":" + dir.resolve("missing.conf") + ":" + other, null, ExitCode.OK),
                    new Route("the play variable before KUBECONFIG", dead.toString(), good.toString(), ExitCode.OK),
                    new Route("~/.kube/config without KUBECONFIG", null, null, ExitCode.OK));
            int n = 0;
            for (Route row : table) {
                String name = "cm-" + n++;
                Path pb = Lab.write(dir, name + ".yaml", """
                        - hosts: localhost
                          gather_facts: false
                          vars: {%s}
                          tasks:
                            - name: k
                              k8s: {definition: {apiVersion: v1, kind: ConfigMap, metadata: {name: %s}}}
                        """.formatted(row.playVar() == null ? "" : "k8s_kubeconfig: " + row.playVar(), name));
                List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                        "-Duser.home=" + home, "-cp", System.getProperty("java.class.path"), "dev.hyperform.cli.Main",
                        "play", "-i", inventory.toString(), pb.toString()));
                ProcessBuilder p = new ProcessBuilder(cmd).redirectErrorStream(true);
                p.environment().remove("KUBECONFIG");
                if (row.kubeconfigEnv() != null) {
                    p.environment().put("KUBECONFIG", row.kubeconfigEnv());
                }
                Process proc = p.start();
                String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(proc.waitFor(120, TimeUnit.SECONDS));
                assertEquals(row.exit(), proc.exitValue(), row.why() + ":\n" + out);
                assertEquals(row.exit() == ExitCode.OK, api.snapshot().keySet().stream().anyMatch(k -> k.contains(name)), row.why());
                assertFalse(out.contains(TOKEN), row.why() + ": the token leaked");
                if (row.exit() == ExitCode.UNREACHABLE) {
                    assertTrue(out.contains("127.0.0.1:1"), row.why() + ": names the address tried:\n" + out);
                }
            }
        }
    }
}
