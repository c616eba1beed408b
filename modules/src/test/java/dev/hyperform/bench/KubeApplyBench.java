package dev.hyperform.bench;

import dev.hyperform.cli.Main;
import dev.hyperform.modules.kubernetes.KubeApiDouble;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Bench helper (not a test), run by bench/run: the same N Kubernetes objects (a CRD, namespaces, config maps and
 * custom resources, in the wrong order) applied twice by {@code hyperform play} against the DECLARED Kubernetes API
 * double on loopback: first run (creates), second run (no change). Prints objects per second and API requests per
 * object for each run. The double answers in-process, so the figures measure hyperform's own cost per object.
 */
public final class KubeApplyBench {
    private KubeApplyBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Path dir = Files.createTempDirectory("hyperform-k8s-bench");
        try (KubeApiDouble api = new KubeApiDouble()) {
            Path kubeconfig = api.kubeconfig(dir);
            StringBuilder y = new StringBuilder();
            int crs = n / 2;
            int namespaces = 4;
            int cms = n - crs - namespaces - 1;
            for (int i = 0; i < crs; i++) {
                y.append("apiVersion: bench.example.dev/v1\nkind: Item\nmetadata: {name: item-").append(i)
                        .append(", namespace: ns-").append(i % namespaces).append("}\nspec: {index: ").append(i).append("}\n---\n");
            }
            for (int i = 0; i < cms; i++) {
                y.append("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-").append(i).append(", namespace: ns-")
                        .append(i % namespaces).append("}\ndata: {index: \"").append(i).append("\"}\n---\n");
            }
            for (int i = 0; i < namespaces; i++) {
                y.append("apiVersion: v1\nkind: Namespace\nmetadata: {name: ns-").append(i).append("}\n---\n");
            }
            y.append("""
                    apiVersion: apiextensions.k8s.io/v1
                    kind: CustomResourceDefinition
                    metadata: {name: items.bench.example.dev}
                    spec:
                      group: bench.example.dev
                      scope: Namespaced
                      names: {kind: Item, plural: items, singular: item, listKind: ItemList}
                      versions:
                      - {name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}
                    """);
            Path objects = Files.writeString(dir.resolve("objects.yaml"), y.toString());
            Path inv = Files.writeString(dir.resolve("hosts"), "localhost ansible_connection=local\n");
            Path pb = Files.writeString(dir.resolve("play.yaml"), """
                    - hosts: localhost
                      gather_facts: false
                      tasks:
                        - name: objects
                          k8s: {src: %s, kubeconfig: %s}
                    """.formatted(objects, kubeconfig));
            // warm-up (not reported): class loading and JIT on a throw-away namespace of the same double
            for (String run : new String[] {"first", "second"}) {
                api.resetCounts();
                PrintStream out = System.out;
                long t0 = System.nanoTime();
                int code;
                try (PrintStream quiet = new PrintStream(new ByteArrayOutputStream())) {
                    System.setOut(quiet);
                    code = Main.run(new String[] {"play", "-i", inv.toString(), pb.toString()});
                } finally {
                    System.setOut(out);
                }
                double s = (System.nanoTime() - t0) / 1e9;
                if (code != 0) {
                    throw new IllegalStateException(run + " run failed with exit " + code);
                }
                int requests = api.count("ALL");
                System.out.printf("k8s\t%d\t%s\t%.2f\t%.1f\t%.2f\t%d%n", n, run, s, n / s, (double) requests / n, requests);
            }
        }
    }
}
