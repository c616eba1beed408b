package dev.hyperform.modules.kubernetes;

import dev.hyperform.error.Failure;
import dev.hyperform.module.ModuleException;
import dev.hyperform.module.Target;
import dev.hyperform.transport.HostUnreachableException;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.util.List;

/**
 * Turns what the API said into errors a person can act on: unreachable (the task's host is unreachable, exit 3),
 * 401/403 (verb, resource, namespace, identity), 409 (the other field manager and the field), anything else with
 * the API's own message. Never includes a token, a key or the kubeconfig's contents.
 */
final class KubeErrors {
    private KubeErrors() {
    }

    static RuntimeException of(KubernetesClientException e, String verb, String resource, String namespace, Target target,
                               KubeConnection conn) {
        String where = verb + " " + resource + (namespace == null || namespace.isEmpty() ? "" : " in namespace " + namespace);
        if (isConnectFailure(e)) {
            return new HostUnreachableException(target.host(), "Kubernetes API " + conn.api(target) + " unreachable while "
                    + "trying to " + where + ": " + rootMessage(e), "check the kubeconfig's server address, or reach the API through a control-plane "
                    + "host (control_plane, via_ssh)", e);
        }
        if (isTlsFailure(e)) {
            return new ModuleException("TLS: the Kubernetes API's certificate is not trusted while trying to " + where + ": "
                    + rootMessage(e), "give the kubeconfig the cluster's CA (certificate-authority-data); hyperform "
                    + "verifies TLS unless the kubeconfig itself says insecure-skip-tls-verify: true");
        }
        Status s = e.getStatus();
        String apiMessage = s != null && s.getMessage() != null ? s.getMessage() : rootMessage(e);
        return switch (e.getCode()) {
            case 401 -> unauthorized(where, conn.identity(target));
            case 403 -> {
                KubeConnection.Identity who = conn.identity(target);
                yield new ModuleException("forbidden (403) to " + where + " as " + who + ": " + apiMessage,
                        "grant the user the API names above (what kubeconfig user '" + who.user() + "' authenticates as) "
                                + "the right to " + verb + " " + resource
                                + (namespace == null || namespace.isEmpty() ? "" : " in namespace " + namespace)
                                + " (an RBAC Role or ClusterRole and its binding), or use a context with more rights");
            }
            case 409 -> conflict(where, s, apiMessage);
            case 404 -> new ModuleException("not found (404) while trying to " + where + ": " + apiMessage,
                    "check the kind, name and namespace");
            default -> new ModuleException("the API refused to " + where + " (" + e.getCode() + "): " + apiMessage, null);
        };
    }

    private static ModuleException unauthorized(String where, KubeConnection.Identity who) {
        String c = who.credential();
        String what = c.equals("bearer token") ? "renew the bearer token of user '" + who.user() + "' (its token or tokenFile)"
                : c.equals("client certificate") ? "the client certificate of user '" + who.user() + "' has expired or is "
                + "not signed by the cluster's CA: renew it (kubeadm: kubeadm certs renew admin.conf) and use the new kubeconfig"
                : c.startsWith("exec plugin") ? "run the " + c + " by hand: it did not give a credential the API accepts"
                : "give user '" + who.user() + "' a credential the API accepts (token or client certificate)";
        return new ModuleException("unauthorized (401) to " + where + ": the API refused the credentials of " + who,
                what + ", or choose another context (task argument context, play variable k8s_context)");
    }

    private static ModuleException conflict(String where, Status s, String apiMessage) {
        List<StatusCause> causes = s == null || s.getDetails() == null || s.getDetails().getCauses() == null ? List.of()
                : s.getDetails().getCauses();
        StringBuilder fields = new StringBuilder();
        for (StatusCause c : causes) {
            fields.append("\n    ").append(c.getMessage());
        }
        return new ModuleException("conflict (409) while trying to " + where + ": " + apiMessage + fields,
                "another field manager owns these fields; set force_conflicts: true to take them over, or stop "
                        + "setting them");
    }

    private static boolean isTlsFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException || t instanceof java.security.cert.CertificateException) {
                return true;
            }
        }
        return false;
    }

    private static boolean isConnectFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException
                    || t instanceof java.net.NoRouteToHostException || t instanceof java.net.SocketTimeoutException
                    || (t instanceof IOException && String.valueOf(t.getMessage()).contains("Failed to connect"))) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    static ModuleException invalid(String message, String hint) {
        return new ModuleException(Failure.INVALID_INPUT, null, message, hint);
    }
}
