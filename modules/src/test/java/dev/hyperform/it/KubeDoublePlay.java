package dev.hyperform.it;

import dev.hyperform.modules.kubernetes.KubeApiDouble;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;

/**
 * Plays against the DECLARED Kubernetes API double: the double, a kubeconfig for it, a local inventory, a fabric8
 * client for assertions, and in-process {@code hyperform play} runs whose tasks get {@code k8s_kubeconfig}.
 */
final class KubeDoublePlay implements AutoCloseable {
    final KubeApiDouble api = new KubeApiDouble();
    final Path kubeconfig;
    final Path inventory;
    final KubernetesClient client;
    final Path dir;

    KubeDoublePlay(Path dir) throws Exception {
        this.dir = dir;
        kubeconfig = api.kubeconfig(dir);
        inventory = Lab.write(dir, "hosts", "localhost ansible_connection=local\n");
        client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
    }

    Lab.Run play(String tasks, String... more) throws Exception {
        Path pb = Lab.write(dir, "p-" + System.nanoTime() + ".yaml", """
                - hosts: localhost
                  gather_facts: false
                  vars:
                    k8s_kubeconfig: %s
                  tasks:
                %s""".formatted(kubeconfig, tasks.indent(4)));
        List<String> args = new ArrayList<>(List.of("-i", inventory.toString(), pb.toString()));
        args.addAll(List.of(more));
        return Lab.play(dir, args.toArray(String[]::new));
    }

    /** An inventory whose group hci holds these local hosts, with k8s_kubeconfig pointing at the double. */
    Path hci(String... hosts) throws Exception {
        StringBuilder s = new StringBuilder("[hci]\n");
        for (String h : hosts) {
            s.append(h).append(" ansible_connection=local\n");
        }
        s.append("[hci:vars]\nk8s_kubeconfig=").append(kubeconfig).append('\n');
        return Lab.write(dir, "hci-" + System.nanoTime(), s.toString());
    }

    /** {@code hyperform play -i INVENTORY PLAYBOOK ARGS...} in-process. */
    Lab.Run playbook(Path inventory, Path playbook, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("-i", inventory.toString(), playbook.toString()));
        args.addAll(List.of(more));
        return Lab.play(dir, args.toArray(String[]::new));
    }

    GenericKubernetesResource get(String group, String version, String plural, String ns, String name) {
        var ctx = new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withPlural(plural)
                .withNamespaced(ns != null).build();
        var op = client.genericKubernetesResources(ctx);
        return ns == null ? op.withName(name).get() : op.inNamespace(ns).withName(name).get();
    }

    /** "kind via command" of every command entry of a task's results. */
    static List<String> log(Lab.Run r, String task) {
        return r.results(task).stream().flatMap(n -> StreamSupport.stream(n.path("commands").spliterator(), false))
                .map(c -> c.path("kind").asText() + " " + c.path("via").asText() + " " + c.path("command").asText()).toList();
    }

    static String status(Lab.Run r, String task) {
        return r.results(task).get(0).path("status").asText();
    }

    static String message(Lab.Run r, String task) {
        return r.results(task).get(0).path("message").asText();
    }

    @Override
    public void close() {
        client.close();
        api.close();
    }
}
