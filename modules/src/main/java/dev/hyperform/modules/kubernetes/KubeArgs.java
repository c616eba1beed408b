package dev.hyperform.modules.kubernetes;

import dev.hyperform.module.ArgDef;
import dev.hyperform.module.ArgSpec;
import dev.hyperform.module.ArgType;

/** The arguments every Kubernetes module shares: which cluster, and how to wait. */
final class KubeArgs {
    private KubeArgs() {
    }

    static void common(ArgSpec.Builder b) {
        b.arg(ArgDef.optional("kubeconfig", ArgType.STRING, null, "kubeconfig file on the controller (else play variable k8s_kubeconfig, else KUBECONFIG, else ~/.kube/config)"))
                .arg(ArgDef.optional("context", ArgType.STRING, null, "kubeconfig context (else play variable k8s_context, else the file's current-context)"))
                .arg(ArgDef.optional("control_plane", ArgType.STRING, null, "inventory host whose /etc/kubernetes/admin.conf is read once per run over its SSH connection (else play variable k8s_control_plane)"))
                .arg(ArgDef.optional("control_plane_kubeconfig", ArgType.STRING, null, "with control_plane: the kubeconfig's path on that host (default /etc/kubernetes/admin.conf; else play variable k8s_control_plane_kubeconfig)"))
                .arg(ArgDef.optional("via_ssh", ArgType.BOOL, null, "with control_plane: reach the API through a local port forwarded over that host's SSH connection (else play variable k8s_via_ssh)"));
    }

    static void waits(ArgSpec.Builder b) {
        b.arg(ArgDef.optional("wait", ArgType.BOOL, false, "wait (through a watch) until every object passes wait_condition and wait_for"))
                .arg(ArgDef.optional("wait_condition", ArgType.MAP, null, "a condition to wait for: {type: Ready, status: \"True\"} (status defaults to True)"))
                .arg(ArgDef.optional("wait_for", ArgType.STRING, null, "a field test to wait for: 'status.phase == Deployed' (or !=)"))
                .arg(ArgDef.optional("wait_timeout", ArgType.INT, 120, "seconds to wait; a timeout fails the task with the last status seen"));
    }
}
