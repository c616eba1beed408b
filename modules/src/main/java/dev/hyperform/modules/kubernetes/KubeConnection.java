package dev.hyperform.modules.kubernetes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.hyperform.error.Failure;
import dev.hyperform.module.Args;
import dev.hyperform.module.Command;
import dev.hyperform.module.ModuleException;
import dev.hyperform.module.Target;
import dev.hyperform.transport.ExecResult;
import dev.hyperform.vars.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.okhttp.OkHttpClientFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which cluster a Kubernetes task talks to, and the run-scoped fabric8 client for it. In order: the task's
 * {@code kubeconfig}/{@code context}, the play variables {@code k8s_kubeconfig}/{@code k8s_context}, the
 * {@code KUBECONFIG} environment variable, {@code ~/.kube/config}; or, with {@code control_plane} (variable
 * {@code k8s_control_plane}), {@code /etc/kubernetes/admin.conf} read once per run from that inventory host over its
 * existing connection, and with {@code via_ssh} (variable {@code k8s_via_ssh}) the API reached through a local port
 * forwarded over that same connection. TLS is verified unless the kubeconfig itself says
 * {@code insecure-skip-tls-verify}. The kubeconfig's contents are never logged: they hold tokens and keys.
 *
 * @param source  where the kubeconfig comes from (a file path, or {@code host:/etc/kubernetes/admin.conf})
 * @param context the context name, or null for the file's current-context
 * @param via     inventory host whose connection carries a port forward to the API, or null
 * @param onHost  the kubeconfig's path on the control-plane host (kubeadm's admin.conf by default; k3s keeps it in
 *                /etc/rancher/k3s/k3s.yaml)
 * @param list    {@code source} is {@code KUBECONFIG}'s list of files, merged as kubectl merges them
 */
record KubeConnection(String source, String context, String controlPlane, String via, String onHost, boolean list) {
    /** The separator of the files of a {@code KUBECONFIG} list (':' here, ';' on Windows, as kubectl). */
    private static final String LIST = java.io.File.pathSeparator;

    static final String ADMIN_CONF = "/etc/kubernetes/admin.conf";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** The connection a task asks for, from its arguments, then play variables, then the environment. */
    static KubeConnection of(Target target, Args args) {
        String context = args.optString("context").orElse(text(target, "k8s_context"));
        String controlPlane = args.optString("control_plane").orElse(text(target, "k8s_control_plane"));
        boolean viaSsh = args.optBool("via_ssh").orElseGet(() -> Boolean.parseBoolean(text(target, "k8s_via_ssh")));
        if (controlPlane != null) {
            String onHost = args.optString("control_plane_kubeconfig").orElseGet(() -> {
                String v = text(target, "k8s_control_plane_kubeconfig");
                return v == null ? ADMIN_CONF : v;
            });
            return new KubeConnection(controlPlane + ":" + onHost, context, controlPlane, viaSsh ? controlPlane : null, onHost, false);
        }
        String file = args.optString("kubeconfig").orElse(text(target, "k8s_kubeconfig"));
        if (file != null) {
            return new KubeConnection(file, context, null, null, null, false);
        }
        // KUBECONFIG may list several files, merged as kubectl merges them (see KubeconfigFiles)
        List<String> env = KubeconfigFiles.split(System.getenv("KUBECONFIG"), LIST);
        return env.isEmpty() ? new KubeConnection(Path.of(System.getProperty("user.home"), ".kube", "config").toString(),
                context, null, null, null, false) : new KubeConnection(String.join(LIST, env), context, null, null, null, true);
    }

    private static String text(Target target, String var) {
        Object v = target.vars().get(var);
        if (v == null) {
            return null;
        }
        return v instanceof Secret s ? s.reveal() : String.valueOf(v);
    }

    /** The run's client for this connection: built on first use, shared by every task, closed with the run. */
    KubernetesClient client(Target target) {
        return session(target).client();
    }

    /**
     * Who the client authenticates as, for error messages: the kubeconfig user, its context, the kind of credential
     * (bearer token, client certificate, exec plugin ...) and the kubeconfig's path; never the credential itself.
     */
    Identity identity(Target target) {
        return session(target).identity();
    }

    private Session session(Target target) {
        return target.shared("k8s:" + this, () -> build(target));
    }

    /** The run's client and the identity it uses; closing it closes the client. */
    private record Session(KubernetesClient client, Identity identity, String api) implements AutoCloseable {
        @Override
        public void close() {
            client.close();
        }
    }

    /**
     * @param user       the kubeconfig's user name
     * @param context    the context that names it
     * @param credential what kind of credential it holds: "bearer token", "client certificate", "exec plugin NAME" ...
     * @param kubeconfig where the kubeconfig came from (a path, or HOST:PATH)
     */
    record Identity(String user, String context, String credential, String kubeconfig) {
        @Override
        public String toString() {
            return "kubeconfig user '" + user + "' (context '" + context + "', " + credential + ", kubeconfig " + kubeconfig + ")";
        }
    }

    /** The API address the kubeconfig names, and the host whose connection forwards to it (for error messages). */
    String api(Target target) {
        return session(target).api();
    }

    private Session build(Target target) {
        String text = controlPlane == null ? readFile() : fetch(target);
        Config config = config(text);
        Identity identity = identity(text);
        String api = config.getMasterUrl() + (via == null ? "" : " through a port forward over " + via);
        try {
            return new Session(client(target, config), identity, api);
        } catch (IllegalArgumentException | IllegalStateException | io.fabric8.kubernetes.client.KubernetesClientException e) {
            // fabric8 reads the client certificate and key when it builds the client: a broken one is bad input, and
            // the message names the key, never its contents (the exception's own text is not shown: it may quote them)
            throw bad("user '" + identity.user() + "' of context '" + identity.context() + "' has a " + identity.credential()
                    + " that cannot be read (" + e.getClass().getSimpleName() + ")", "users[" + identity.user() + "].user");
        }
    }

    private KubernetesClient client(Target target, Config config) {
        config.setRequestTimeout(30_000);
        config.setConnectionTimeout(10_000);
        config.setRequestRetryBackoffLimit(0);
        if (via == null) {
            return new KubernetesClientBuilder().withConfig(config).build();
        }
        URI api = URI.create(config.getMasterUrl());
        int port = api.getPort() > 0 ? api.getPort() : 443;
        int local = target.forward(via, api.getHost(), port);
        // TLS still verifies the API's certificate: the client asks for a name the certificate holds (the server's
        // host name, or "kubernetes", which kubeadm puts in every API server certificate) and that name resolves to
        // the forward's loopback end
        String name = isAddress(api.getHost()) ? "kubernetes" : api.getHost();
        config.setMasterUrl(api.getScheme() + "://" + name + ":" + local);
        return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new OkHttpClientFactory() {
            @Override
            protected void additionalConfig(okhttp3.OkHttpClient.Builder builder) {
                builder.dns(host -> host.equals(name) ? List.of(InetAddress.getLoopbackAddress())
                        : okhttp3.Dns.SYSTEM.lookup(host));
            }
        }).build();
    }

    private static boolean isAddress(String host) {
        return host.matches("[0-9.]+") || host.contains(":");
    }

    private String readFile() {
        if (list && source.contains(LIST)) {
            return KubeconfigFiles.merge(KubeconfigFiles.split(source, LIST).stream().map(Path::of).toList(), this::bad);
        }
        Path p = Path.of(source);
        if (!Files.isRegularFile(p)) {
            throw new ModuleException(Failure.INVALID_INPUT, null, "no kubeconfig at " + p,
                    "set the task's kubeconfig, the play variable k8s_kubeconfig or KUBECONFIG, or control_plane");
        }
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ModuleException(Failure.INVALID_INPUT, null, "cannot read kubeconfig " + p + ": " + e.getMessage(),
                    "check its permissions");
        }
    }

    private String fetch(Target target) {
        ExecResult r = target.probeOn(controlPlane, Command.of("cat", onHost));
        if (!r.ok()) {
            throw new ModuleException("cannot read " + onHost + " on " + controlPlane + " (exit " + r.exitCode() + ")",
                    "is " + controlPlane + " a control-plane node? the task needs become: true to read it");
        }
        return r.out();
    }

    /** Parse and check the kubeconfig; errors name the file and the key, never its secret contents. */
    Config config(String text) {
        Map<?, ?> doc = parse(text);
        String ctx = context != null ? context : doc.get("current-context") instanceof String s ? s : null;
        if (ctx == null || ctx.isBlank()) {
            throw bad("has no current-context and the task names no context", "current-context");
        }
        Map<?, ?> c = named(doc, "contexts", ctx).orElseThrow(() -> bad("has no context '" + ctx + "' (contexts: "
                + names(doc, "contexts") + ")", "contexts"));
        Map<?, ?> ctxBody = c.get("context") instanceof Map<?, ?> m ? m : Map.of();
        String cluster = String.valueOf(ctxBody.get("cluster"));
        Map<?, ?> cl = named(doc, "clusters", cluster).orElseThrow(() -> bad("context '" + ctx + "' names cluster '"
                + cluster + "', which is not under clusters (" + names(doc, "clusters") + ")", "contexts[" + ctx + "].context.cluster"));
        Object server = cl.get("cluster") instanceof Map<?, ?> m ? m.get("server") : null;
        if (!(server instanceof String s) || s.isBlank()) {
            throw bad("cluster '" + cluster + "' has no server", "clusters[" + cluster + "].cluster.server");
        }
        try {
            URI u = URI.create((String) server);
            if (u.getHost() == null || u.getScheme() == null) {
                throw new IllegalArgumentException("no scheme or host");
            }
        } catch (IllegalArgumentException e) {
            throw bad("cluster '" + cluster + "' has an invalid server URL", "clusters[" + cluster + "].cluster.server");
        }
        try {
            return Config.fromKubeconfig(ctx, text, controlPlane != null ? null : list ? KubeconfigFiles.split(source, LIST).get(0) : source);
        } catch (RuntimeException e) {
            throw bad("cannot be used: " + firstLine(String.valueOf(e.getMessage())), "contexts[" + ctx + "]");
        }
    }

    /** The identity a checked kubeconfig's context uses (names and the kind of credential only). */
    Identity identity(String text) {
        Map<?, ?> doc = parse(text);
        String ctx = context != null ? context : String.valueOf(doc.get("current-context"));
        Map<?, ?> c = named(doc, "contexts", ctx).orElse(Map.of());
        Object user = c.get("context") instanceof Map<?, ?> m ? m.get("user") : null;
        if (user == null) {
            return new Identity("", ctx, "no user (anonymous)", source);
        }
        Map<?, ?> u = named(doc, "users", String.valueOf(user)).map(m -> m.get("user") instanceof Map<?, ?> b ? b : Map.of())
                .orElse(null);
        return new Identity(String.valueOf(user), ctx, u == null ? "not under users" : credential(u), source);
    }

    private Map<?, ?> parse(String text) {
        Map<?, ?> doc;
        try {
            doc = YAML.readValue(text, Map.class);
        } catch (IOException e) {
            throw bad("is not YAML (" + firstLine(e.getMessage()) + ")", "kubeconfig");
        }
        if (doc == null) {
            throw bad("is empty", "kubeconfig");
        }
        return doc;
    }

    private static String credential(Map<?, ?> user) {
        if (user.containsKey("token") || user.containsKey("tokenFile")) {
            return "bearer token";
        }
        if (user.containsKey("client-certificate-data") || user.containsKey("client-certificate")) {
            return "client certificate";
        }
        if (user.get("exec") instanceof Map<?, ?> exec) {
            // the command only: its arguments may carry secrets
            return "exec plugin " + Path.of(String.valueOf(exec.get("command"))).getFileName();
        }
        if (user.get("auth-provider") instanceof Map<?, ?> p) {
            return "auth provider " + p.get("name");
        }
        if (user.containsKey("username")) {
            return "basic auth";
        }
        return "no credentials";
    }

    private ModuleException bad(String what, String key) {
        return new ModuleException(Failure.INVALID_INPUT, null, "kubeconfig " + source + " " + what + " (key: " + key + ")",
                "fix the kubeconfig or choose another context (task argument context, play variable k8s_context)");
    }

    private static Optional<Map<?, ?>> named(Map<?, ?> doc, String list, String name) {
        if (doc.get(list) instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> m && name.equals(m.get("name"))) {
                    return Optional.of(m);
                }
            }
        }
        return Optional.empty();
    }

    private static List<String> names(Map<?, ?> doc, String list) {
        return doc.get(list) instanceof List<?> l ? l.stream().filter(o -> o instanceof Map<?, ?>)
                .map(o -> String.valueOf(((Map<?, ?>) o).get("name"))).toList() : List.of();
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    @Override
    public String toString() {
        return source + (context == null ? "" : "#" + context) + (via == null ? "" : " via " + via);
    }
}
