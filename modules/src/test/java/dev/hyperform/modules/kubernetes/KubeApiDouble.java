package dev.hyperform.modules.kubernetes;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Headers;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;

/**
 * DECLARED TEST DOUBLE of a Kubernetes API server: fabric8's kubernetes-server-mock in CRUD mode, extended here
 * where CRUD mode lacks what hyperform relies on, following the Kubernetes API's documented behaviour:
 * <ul>
 * <li>discovery ({@code /api}, {@code /apis}, {@code /api/v1}, {@code /apis/G/V}) for a table of core kinds plus every Established CRD;</li>
 * <li>server-side apply ({@code application/apply-patch+yaml}): per-manager field ownership recorded in
 * {@code metadata.managedFields}, a 409 naming the other manager and field when a field another manager owns would
 * change (unless {@code force=true}), fields a manager stops applying are removed, a no-op apply stores nothing;</li>
 * <li>{@code dryRun=All} on apply, merge patch and delete: the answer without storing anything;</li>
 * <li>CRDs become {@code Established} as soon as they are stored (the double plays the apiextensions controller).</li>
 * </ul>
 * Watches and plain CRUD are CRUD mode's own. What it does not prove is listed in docs/kubernetes.md.
 */
public final class KubeApiDouble implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, List<Object[]>> CORE = new LinkedHashMap<>();

    static {
        // {kind, plural, namespaced}
        CORE.put("v1", List.<Object[]>of(new Object[] {"Namespace", "namespaces", false}, new Object[] {"ConfigMap", "configmaps", true},
                new Object[] {"Secret", "secrets", true}, new Object[] {"Service", "services", true},
                new Object[] {"ServiceAccount", "serviceaccounts", true}, new Object[] {"Pod", "pods", true},
                new Object[] {"Node", "nodes", false}, new Object[] {"PersistentVolumeClaim", "persistentvolumeclaims", true}));
        CORE.put("apps/v1", List.<Object[]>of(new Object[] {"Deployment", "deployments", true}, new Object[] {"DaemonSet", "daemonsets", true},
                new Object[] {"StatefulSet", "statefulsets", true}, new Object[] {"ReplicaSet", "replicasets", true}));
        CORE.put("storage.k8s.io/v1", List.<Object[]>of(new Object[] {"StorageClass", "storageclasses", false}));
        CORE.put("scheduling.k8s.io/v1", List.<Object[]>of(new Object[] {"PriorityClass", "priorityclasses", false}));
        CORE.put("policy/v1", List.<Object[]>of(new Object[] {"PodDisruptionBudget", "poddisruptionbudgets", true}));
        CORE.put("rbac.authorization.k8s.io/v1", List.<Object[]>of(new Object[] {"ClusterRole", "clusterroles", false},
                new Object[] {"ClusterRoleBinding", "clusterrolebindings", false}, new Object[] {"Role", "roles", true},
                new Object[] {"RoleBinding", "rolebindings", true}));
        CORE.put("apiextensions.k8s.io/v1", List.<Object[]>of(new Object[] {"CustomResourceDefinition", "customresourcedefinitions", false}));
    }

    /** A token the double refuses (401), and one it allows to read only (403 on writes, as RBAC answers). */
    public static final String EXPIRED_TOKEN = "expired-token-of-the-double";
    public static final String VIEWER_TOKEN = "viewer-token-of-the-double";
    private final KubernetesMockServer server;
    private final Dispatcher dispatcher = new Dispatcher();
    /** Every request the double answered, by method ("GET", "PATCH" ...) and in total ("ALL"). */
    public final Map<String, AtomicInteger> requests = new java.util.concurrent.ConcurrentHashMap<>();

    private final boolean https;
    /**
     * Answer 401 to requests without a bearer token, as an API server with anonymous access disabled answers a
     * client certificate it does not trust (over plain HTTP the double sees no certificate at all).
     */
    public volatile boolean refuseAnonymous;

    public KubeApiDouble() {
        this(false);
    }

    /** {@code https}: TLS with the mock server's self-signed certificate (which no CA of the kubeconfig vouches for). */
    public KubeApiDouble(boolean https) {
        this.https = https;
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        MockWebServer web = new MockWebServer();
        // answer like a real API server (Go sets TCP_NODELAY): without it every response waits ~40 ms for a delayed ACK
        web.setServerSocketFactory(new javax.net.ServerSocketFactory() {
            @Override
            public java.net.ServerSocket createServerSocket() throws IOException {
                return new java.net.ServerSocket() {
                    @Override
                    public Socket accept() throws IOException {
                        Socket s = super.accept();
                        s.setTcpNoDelay(true);
                        return s;
                    }
                };
            }

            @Override
            public java.net.ServerSocket createServerSocket(int port) throws IOException {
                throw new UnsupportedOperationException();
            }

            @Override
            public java.net.ServerSocket createServerSocket(int port, int backlog) throws IOException {
                throw new UnsupportedOperationException();
            }

            @Override
            public java.net.ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
                throw new UnsupportedOperationException();
            }
        });
        server = new KubernetesMockServer(new Context(), web, responses, dispatcher, https);
        server.init(InetAddress.getLoopbackAddress(), 0);
    }

    public String url() {
        return (https ? "https" : "http") + "://127.0.0.1:" + server.getPort();
    }

    public int port() {
        return server.getPort();
    }

    /** A kubeconfig file for this double (context {@code double}, a token the double ignores). */
    public Path kubeconfig(Path dir) throws IOException {
        Path p = dir.resolve("kubeconfig-double");
        Files.writeString(p, kubeconfig(url(), "s3cr3t-token-of-the-double"));
        return p;
    }

    /** The text of a kubeconfig with context {@code double} and user {@code tester} holding a bearer token. */
    public static String kubeconfig(String server, String token) {
        return """
                apiVersion: v1
                kind: Config
                current-context: double
                contexts:
                - name: double
                  context: {cluster: double, user: tester}
                clusters:
                - name: double
                  cluster: {server: "%s"}
                users:
                - name: tester
                  user: {token: %s}
                """.formatted(server, token);
    }

    public int count(String method) {
        AtomicInteger n = requests.get(method);
        return n == null ? 0 : n.get();
    }

    public void resetCounts() {
        requests.clear();
    }

    /** Every stored object (JSON text by CRUD key), to compare before and after a check run. */
    public Map<String, String> snapshot() {
        Map<String, String> out = new java.util.TreeMap<>();
        dispatcher.getMap().forEach((k, v) -> out.put(k.toString(), v));
        return out;
    }

    @Override
    public void close() {
        server.destroy();
    }

    private final class Dispatcher extends KubernetesCrudDispatcher implements Crud {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
            requests.computeIfAbsent("ALL", k -> new AtomicInteger()).incrementAndGet();
            requests.computeIfAbsent(request.getMethod(), k -> new AtomicInteger()).incrementAndGet();
            String full = request.getPath();
            String path = full.contains("?") ? full.substring(0, full.indexOf('?')) : full;
            Map<String, String> query = query(full);
            String auth = String.valueOf(request.getHeader("Authorization"));
            if (auth.equals("Bearer " + EXPIRED_TOKEN) || (refuseAnonymous && auth.equals("null"))) {
                return new MockResponse().setResponseCode(401).setBody(status(401, "Unauthorized", "Unauthorized"));
            }
            if (auth.equals("Bearer " + VIEWER_TOKEN) && !request.getMethod().equals("GET")) {
                String[] parts = path.split("/");
                boolean namespaced = path.contains("/namespaces/") && parts.length > 6;
                String resource = namespaced ? parts[parts.length - 2] : parts[parts.length - 1];
                String ns = namespaced ? parts[java.util.Arrays.asList(parts).indexOf("namespaces") + 1] : "";
                return new MockResponse().setResponseCode(403).setBody(status(403, "Forbidden", resource + " is forbidden: "
                        + "User \"system:serviceaccount:default:viewer\" cannot " + request.getMethod().toLowerCase()
                        + " resource \"" + resource + "\" in API group \"\"" + (ns.isEmpty() ? "" : " in the namespace \"" + ns + "\"")));
            }
            try {
                if (request.getMethod().equals("GET") && !query.containsKey("watch")) {
                    MockResponse d = discovery(path);
                    if (d != null) {
                        return d;
                    }
                }
                String type = String.valueOf(request.getHeader("Content-Type"));
                if (request.getMethod().equals("PATCH") && type.startsWith("application/apply-patch")) {
                    return ServerSideApply.apply(this, path, query, request.getBody().readUtf8());
                }
                if (request.getMethod().equals("PATCH") && "All".equals(query.get("dryRun"))) {
                    return ServerSideApply.dryMergePatch(this, path, request.getBody().readUtf8());
                }
                if (request.getMethod().equals("POST") && path.matches("/api/v1/namespaces/[^/]+/pods/[^/]+/eviction")) {
                    return Evictions.evict(this, path.substring(0, path.length() - "/eviction".length()));
                }
                if (request.getMethod().equals("GET") && path.matches("/api/v1/(namespaces/[^/]+/)?pods")
                        && query.getOrDefault("fieldSelector", "").startsWith("spec.nodeName=") && !query.containsKey("watch")) {
                    return Evictions.podsOnNode(this, path, query.get("fieldSelector").substring("spec.nodeName=".length()));
                }
                if (request.getMethod().equals("DELETE") && "All".equals(query.get("dryRun"))) {
                    return handleGet(path);
                }
                return super.dispatch(request);
            } catch (IOException e) {
                return new MockResponse().setResponseCode(500).setBody(e.getMessage());
            }
        }

        /** Hand a request the double composed itself to CRUD mode (so watches see it). */
        @Override
        public MockResponse crud(String method, String path, String body) {
            Buffer buf = new Buffer().writeUtf8(body == null ? "" : body);
            Socket socket = new Socket() {
                @Override
                public InetAddress getLocalAddress() {
                    return InetAddress.getLoopbackAddress();
                }

                @Override
                public int getLocalPort() {
                    return server.getPort();
                }

                @Override
                public InetAddress getInetAddress() {
                    return InetAddress.getLoopbackAddress();
                }
            };
            RecordedRequest r = new RecordedRequest(method + " " + path + " HTTP/1.1",
                    Headers.of("Content-Type", "application/json"), List.of(), buf.size(), buf, 0, socket);
            return super.dispatch(r);
        }

        private MockResponse discovery(String path) throws IOException {
            if (path.equals("/api")) {
                return new MockResponse().setResponseCode(200).setBody(JSON.writeValueAsString(Map.of("kind", "APIVersions",
                        "versions", List.of("v1"), "serverAddressByClientCIDRs", List.of())));
            }
            if (path.equals("/apis")) {
                return new MockResponse().setResponseCode(200).setBody(JSON.writeValueAsString(Map.of("kind", "APIGroupList",
                        "apiVersion", "v1", "groups", groups())));
            }
            String gv;
            if (path.equals("/api/v1")) {
                gv = "v1";
            } else if (path.matches("/apis/[^/]+/[^/]+")) {
                gv = path.substring("/apis/".length());
            } else {
                return null;
            }
            List<Map<String, Object>> resources = new ArrayList<>();
            for (Object[] k : CORE.getOrDefault(gv, List.of())) {
                resources.add(Map.of("kind", k[0], "name", k[1], "namespaced", k[2], "singularName", "",
                        "verbs", List.of("get", "list", "watch", "create", "update", "patch", "delete")));
            }
            for (Map<String, Object> crd : crds()) {
                Map<?, ?> spec = (Map<?, ?>) crd.get("spec");
                Map<?, ?> names = (Map<?, ?>) spec.get("names");
                for (Object v : (List<?>) spec.get("versions")) {
                    Map<?, ?> vm = (Map<?, ?>) v;
                    if ((spec.get("group") + "/" + vm.get("name")).equals(gv) && !Boolean.FALSE.equals(vm.get("served"))) {
                        resources.add(Map.of("kind", names.get("kind"), "name", names.get("plural"),
                                "namespaced", !"Cluster".equals(spec.get("scope")), "singularName", "",
                                "verbs", List.of("get", "list", "watch", "create", "update", "patch", "delete")));
                    }
                }
            }
            if (resources.isEmpty() && !CORE.containsKey(gv)) {
                return new MockResponse().setResponseCode(404).setBody(status(404, "NotFound", "the server could not find the requested resource"));
            }
            return new MockResponse().setResponseCode(200).setBody(JSON.writeValueAsString(Map.of("kind", "APIResourceList",
                    "apiVersion", "v1", "groupVersion", gv, "resources", resources)));
        }

        /** The APIGroupList of {@code /apis}: every group of the core table and of the Established CRDs, with its versions. */
        private List<Map<String, Object>> groups() throws IOException {
            Map<String, List<String>> versions = new LinkedHashMap<>();
            for (String gv : CORE.keySet()) {
                if (gv.contains("/")) {
                    versions.computeIfAbsent(gv.substring(0, gv.indexOf('/')), g -> new ArrayList<>()).add(gv.substring(gv.indexOf('/') + 1));
                }
            }
            for (Map<String, Object> crd : crds()) {
                Map<?, ?> spec = (Map<?, ?>) crd.get("spec");
                for (Object v : (List<?>) spec.get("versions")) {
                    List<String> vs = versions.computeIfAbsent(String.valueOf(spec.get("group")), g -> new ArrayList<>());
                    String name = String.valueOf(((Map<?, ?>) v).get("name"));
                    if (!vs.contains(name)) {
                        vs.add(name);
                    }
                }
            }
            List<Map<String, Object>> out = new ArrayList<>();
            versions.forEach((g, vs) -> {
                List<Map<String, Object>> list = vs.stream().map(v -> Map.<String, Object>of("groupVersion", g + "/" + v, "version", v)).toList();
                out.add(Map.of("name", g, "versions", list, "preferredVersion", list.get(0)));
            });
            return out;
        }

        @SuppressWarnings("unchecked")
        private List<Map<String, Object>> crds() throws IOException {
            MockResponse r = super.handleGet("/apis/apiextensions.k8s.io/v1/customresourcedefinitions");
            String body = r.getBody() == null ? "" : r.getBody().clone().readUtf8();
            if (body.isBlank()) {
                return List.of();
            }
            Map<String, Object> list = JSON.readValue(body, Map.class);
            List<Map<String, Object>> out = new ArrayList<>();
            for (Object o : (List<Object>) list.getOrDefault("items", List.of())) {
                Map<String, Object> crd = (Map<String, Object>) o;
                if ("True".equals(Waits.condition(crd, "Established"))) {
                    out.add(crd);
                }
            }
            return out;
        }
    }

    static String status(int code, String reason, String message) {
        try {
            return JSON.writeValueAsString(Map.of("kind", "Status", "apiVersion", "v1", "status", "Failure",
                    "code", code, "reason", reason, "message", message));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> query(String full) {
        Map<String, String> q = new HashMap<>();
        int i = full.indexOf('?');
        if (i >= 0) {
            for (String kv : full.substring(i + 1).split("&")) {
                int eq = kv.indexOf('=');
                q.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "" : java.net.URLDecoder.decode(kv.substring(eq + 1),
                        java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return q;
    }

    /** The dispatcher's CRUD entry points, for {@link ServerSideApply}. */
    interface Crud {
        MockResponse handleGet(String path);

        MockResponse crud(String method, String path, String body);
    }
}
