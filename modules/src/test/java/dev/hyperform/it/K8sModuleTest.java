package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyperform.error.ExitCode;
import dev.hyperform.modules.kubernetes.KubeApiDouble;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code k8s} through the whole engine (local connection) against the DECLARED Kubernetes API double
 * ({@link KubeApiDouble}): check mode is a server-side dry run that changes nothing, the real run applies exactly
 * the planned calls, a second run is ok, {@code --diff} shows managed fields only, and bad input changes nothing.
 */
class K8sModuleTest {
    static final String CRD = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: widgets.example.dev}
            spec:
              group: example.dev
              scope: Namespaced
              names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
              versions:
              - name: v1
                served: true
                storage: true
                schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
            """;
    private KubeDoublePlay k;
    private KubeApiDouble api;
    private Path kubeconfig;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        k = new KubeDoublePlay(dir);
        api = k.api;
        kubeconfig = k.kubeconfig;
    }

    @AfterEach
    void stop() {
        k.close();
    }

    private Lab.Run play(Path dir, String tasks, String... more) throws Exception {
        return k.play(tasks, more);
    }

    private GenericKubernetesResource get(String group, String version, String plural, String ns, String name) {
        return k.get(group, version, plural, ns, name);
    }

    private static List<String> log(Lab.Run r, String task) {
        return KubeDoublePlay.log(r, task);
    }

    @Test
    void wrongOrderCrdsAndCustomResourcesConvergeInOneRunCheckChangesNothingAndASecondRunIsOk(@TempDir Path dir) throws Exception {
        Path src = Lab.write(dir, "stack.yaml", """
                apiVersion: example.dev/v1
                kind: Widget
                metadata: {name: w1, namespace: apps}
                spec: {size: 3}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings, namespace: apps}
                data: {mode: fast}
                ---
                apiVersion: v1
                kind: Namespace
                metadata: {name: apps}
                ---
                """ + CRD);
        String task = "- name: stack\n  k8s: {src: " + src + "}\n";
        Map<String, String> before = api.snapshot();
        Lab.Run check = play(dir, task, "--check", "--diff");
        assertEquals(ExitCode.OK, check.exitCode(), check.console());
        assertEquals("changed", check.results("stack").get(0).path("status").asText());
        assertEquals(before, api.snapshot(), "--check changed the API's objects");
        List<String> planned = log(check, "stack").stream().filter(s -> s.startsWith("planned")).toList();
        assertEquals(List.of(
                "planned api api apply apiextensions.k8s.io/v1 CustomResourceDefinition widgets.example.dev (server-side, field manager hyperform)",
                "planned api api apply v1 Namespace apps (server-side, field manager hyperform)",
                "planned api api apply example.dev/v1 Widget apps/w1 (server-side, field manager hyperform)",
                "planned api api apply v1 ConfigMap apps/settings (server-side, field manager hyperform)"), planned);
        assertTrue(check.console().contains("+  mode: fast"), check.console());

        Lab.Run real = play(dir, task);
        assertEquals(ExitCode.OK, real.exitCode(), real.console());
        assertEquals(planned.stream().map(s -> s.replaceFirst("^planned", "run")).toList(),
                log(real, "stack").stream().filter(s -> s.startsWith("run")).toList(), "the real run made exactly the planned calls");
        assertEquals(3, ((Map<?, ?>) get("example.dev", "v1", "widgets", "apps", "w1").getAdditionalProperties().get("spec")).get("size"));
        assertEquals("fast", ((Map<?, ?>) get("", "v1", "configmaps", "apps", "settings").getAdditionalProperties().get("data")).get("mode"));

        Map<String, String> afterFirst = api.snapshot();
        Lab.Run again = play(dir, task, "--diff");
        assertEquals(ExitCode.OK, again.exitCode(), again.console());
        assertEquals("ok", again.results("stack").get(0).path("status").asText(), again.console());
        assertEquals(afterFirst, api.snapshot(), "a second run stored nothing");
    }

    @Test
    void diffShowsOnlyManagedFieldsAndCheckReportsExactlyTheChangedObject(@TempDir Path dir) throws Exception {
        String cm = """
                - name: cm
                  k8s:
                    definition:
                    - {apiVersion: v1, kind: ConfigMap, metadata: {name: a}, data: {x: "%s"}}
                    - {apiVersion: v1, kind: ConfigMap, metadata: {name: b}, data: {y: "1"}}
                """;
        assertEquals(ExitCode.OK, play(dir, cm.formatted("1")).exitCode());
        Map<String, String> before = api.snapshot();
        Lab.Run check = play(dir, cm.formatted("2"), "--check", "--diff");
        assertEquals(before, api.snapshot());
        JsonNode r = check.results("cm").get(0);
        assertEquals("changed", r.path("status").asText());
        assertTrue(check.console().contains("-  x: \"1\"") || check.console().contains("-  x: '1'") || check.console().contains("-  x: 1"), check.console());
        for (String serverOwned : List.of("managedFields", "resourceVersion", "uid", "creationTimestamp")) {
            assertFalse(check.console().contains(serverOwned), serverOwned + " in the diff:\n" + check.console());
        }
        List<String> planned = log(check, "cm").stream().filter(s -> s.startsWith("planned")).toList();
        assertEquals(1, planned.size(), "only ConfigMap a changes: " + planned);
        assertTrue(planned.get(0).contains("ConfigMap default/a"), planned.toString());
    }

    @Test
    void aFieldAnotherManagerOwnsIsAConflictNamingManagerAndFieldUnlessForced(@TempDir Path dir) throws Exception {
        var ctx = new ResourceDefinitionContext.Builder().withGroup("").withVersion("v1").withPlural("configmaps").withNamespaced(true).build();
        GenericKubernetesResource other = new GenericKubernetesResource();
        other.setApiVersion("v1");
        other.setKind("ConfigMap");
        other.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("shared").withNamespace("default").build());
        other.setAdditionalProperty("data", Map.of("owner", "kubectl"));
        k.client.genericKubernetesResources(ctx).inNamespace("default").resource(other)
                .patch(new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY).withFieldManager("kubectl-client-side").build());
        String task = """
                - name: take
                  k8s:
                    force_conflicts: %s
                    definition: {apiVersion: v1, kind: ConfigMap, metadata: {name: shared}, data: {owner: hyperform}}
                """;
        Lab.Run refused = play(dir, task.formatted("false"), "--check");
        assertEquals(ExitCode.TASK_FAILED, refused.exitCode(), refused.console());
        String msg = refused.results("take").get(0).path("message").asText();
        assertTrue(msg.contains("409") && msg.contains("kubectl-client-side") && msg.contains(".data.owner")
                && msg.contains("force_conflicts"), msg);
        Lab.Run forced = play(dir, task.formatted("true"));
        assertEquals(ExitCode.OK, forced.exitCode(), forced.console());
        assertEquals("hyperform", ((Map<?, ?>) get("", "v1", "configmaps", "default", "shared").getAdditionalProperties().get("data")).get("owner"));
    }

    @Test
    void badInputFailsBeforeAnythingIsApplied(@TempDir Path dir) throws Exception {
        Path oneBad = Lab.write(dir, "bad.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: good}
                ---
                apiVersion: apps/v1
                kind: Deploymnet
                metadata: {name: typo}
                """);
        Map<String, String> before = api.snapshot();
        Lab.Run r = play(dir, "- name: bad\n  k8s: {src: " + oneBad + "}\n");
        assertEquals(ExitCode.TASK_FAILED, r.exitCode(), r.console());
        String msg = r.results("bad").get(0).path("message").asText();
        assertTrue(msg.contains("bad.yaml:5") && msg.contains("unknown kind Deploymnet") && msg.contains("serves under apps/v1: Deployment,"), msg);
        assertEquals(before, api.snapshot(), "nothing applied");
        assertNull(get("", "v1", "configmaps", "default", "good"));

        Path noName = Lab.write(dir, "noname.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {}\n");
        Lab.Run n = play(dir, "- name: noname\n  k8s: {src: " + noName + "}\n");
        assertTrue(n.results("noname").get(0).path("message").asText().contains("noname.yaml:5"), n.console());
        assertEquals(before, api.snapshot());
    }

    @Test
    void anUnknownApiVersionListsWhatTheServerServesAndWhereTheKindLives(@TempDir Path dir) throws Exception {
        Map<String, String> before = api.snapshot();
        String task = "- name: k\n  k8s: {definition: {apiVersion: %s, kind: %s, metadata: {name: x}}}\n";
        // a typo in the group: the served group versions, closest first, and the one that serves the kind
        Lab.Run typo = play(dir, task.formatted("app/v1", "Deployment"));
        assertEquals(ExitCode.TASK_FAILED, typo.exitCode(), typo.console());
        String msg = KubeDoublePlay.message(typo, "k");
        assertTrue(msg.contains("unknown apiVersion app/v1") && msg.contains("the server serves: apps/v1, ")
                && msg.contains("did you mean apiVersion: apps/v1?"), msg);
        assertTrue(msg.indexOf("apps/v1") < msg.indexOf("storage.k8s.io/v1") && msg.contains("v1, ") , msg);
        // a served apiVersion that does not hold the kind: where the kind is served instead
        Lab.Run wrongGroup = play(dir, task.formatted("v1", "StorageClass"));
        String wg = KubeDoublePlay.message(wrongGroup, "k");
        assertTrue(wg.contains("unknown kind StorageClass in apiVersion v1") && wg.contains("StorageClass is served under storage.k8s.io/v1")
                && wg.contains("did you mean apiVersion: storage.k8s.io/v1?"), wg);
        // k8s_info says the same
        Lab.Run info = play(dir, "- name: i\n  k8s_info: {api_version: app/v1, kind: Deployment}\n");
        assertTrue(KubeDoublePlay.message(info, "i").contains("did you mean apiVersion: apps/v1?"), info.console());
        assertEquals(before, api.snapshot(), "nothing applied");
    }

    @Test
    void aDefinitionComesFromAVariableAsAMapAListOrYamlText(@TempDir Path dir) throws Exception {
        Lab.Run r = play(dir, """
                - name: map
                  k8s: {definition: "${one}"}
                  vars: {one: {apiVersion: v1, kind: ConfigMap, metadata: {name: from-map}}}
                - name: list
                  k8s: {definition: "${two}"}
                  vars:
                    two:
                    - {apiVersion: v1, kind: ConfigMap, metadata: {name: from-list-a}}
                    - {apiVersion: v1, kind: ConfigMap, metadata: {name: from-list-b}}
                - name: text
                  k8s: {definition: "${text}"}
                  vars: {text: "apiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: from-text}\\n---\\napiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: from-text-2}\\n"}
                """);
        assertEquals(ExitCode.OK, r.exitCode(), r.console());
        for (String name : List.of("from-map", "from-list-a", "from-list-b", "from-text", "from-text-2")) {
            assertNotNull(get("", "v1", "configmaps", "default", name), name);
        }
    }

    @Test
    void anUnreachableApiIsAnUnreachableHostAndAWrongContextNamesFileAndKey(@TempDir Path dir) throws Exception {
        Path dead = Lab.write(dir, "dead", Files.readString(kubeconfig).replace(api.url(), "http://127.0.0.1:1"));
        Lab.Run r = play(dir, "- name: k\n  k8s: {kubeconfig: " + dead + ", definition: {apiVersion: v1, kind: ConfigMap, metadata: {name: x}}}\n");
        assertEquals(ExitCode.UNREACHABLE, r.exitCode(), r.console());
        Lab.Run c = play(dir, "- name: k\n  k8s: {context: nosuch, definition: {apiVersion: v1, kind: ConfigMap, metadata: {name: x}}}\n");
        assertEquals(ExitCode.INVALID_INPUT, c.exitCode(), c.console());
        String msg = c.results("k").get(0).path("message").asText();
        assertTrue(msg.contains(kubeconfig.toString()) && msg.contains("nosuch") && msg.contains("key: contexts"), msg);
        for (Lab.Run run : List.of(r, c)) {
            assertFalse(run.console().contains("s3cr3t-token") || run.eventsText().contains("s3cr3t-token"), "the token leaked");
        }
    }

    @Test
    void absentDeletesAndWaitsUntilGoneAndWaitForAConditionUsesTheWatch(@TempDir Path dir) throws Exception {
        String present = "- name: up\n  k8s: {definition: {apiVersion: v1, kind: ConfigMap, metadata: {name: gone-soon}}}\n";
        assertEquals(ExitCode.OK, play(dir, present).exitCode());
        String absent = "- name: down\n  k8s: {state: absent, definition: {apiVersion: v1, kind: ConfigMap, metadata: {name: gone-soon}}}\n";
        Lab.Run check = play(dir, absent, "--check");
        assertEquals("changed", check.results("down").get(0).path("status").asText());
        assertNotNull(get("", "v1", "configmaps", "default", "gone-soon"), "check deleted it");
        Lab.Run real = play(dir, absent);
        assertEquals("changed", real.results("down").get(0).path("status").asText(), real.console());
        assertNull(get("", "v1", "configmaps", "default", "gone-soon"));
        assertEquals("ok", play(dir, absent).results("down").get(0).path("status").asText());

        Lab.Run crd = play(dir, "- name: crd\n  k8s:\n    definition: " + Lab.JSON.writeValueAsString(
                new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readValue(CRD, Map.class))
                + "\n    wait: true\n    wait_condition: {type: Established}\n    wait_timeout: 10\n");
        assertEquals(ExitCode.OK, crd.exitCode(), crd.console());
        Lab.Run timeout = play(dir, "- name: w\n  k8s:\n    definition: {apiVersion: example.dev/v1, kind: Widget, metadata: {name: w2}}\n"
                + "    wait: true\n    wait_for: status.phase == Deployed\n    wait_timeout: 2\n");
        assertEquals(ExitCode.TASK_FAILED, timeout.exitCode(), timeout.console());
        String msg = timeout.results("w").get(0).path("message").asText();
        assertTrue(msg.contains("timed out after 2 s") && msg.contains("status.phase == Deployed") && msg.contains("last status"), msg);
    }

    @Test
    void k8sInfoGetsAndListsBySelectorsAndItsResultServesWhenAndUntil(@TempDir Path dir) throws Exception {
        Lab.Run r = play(dir, """
                - name: objects
                  k8s:
                    definition:
                    - {apiVersion: v1, kind: ConfigMap, metadata: {name: web-1, labels: {app: web}}, data: {n: "1"}}
                    - {apiVersion: v1, kind: ConfigMap, metadata: {name: web-2, labels: {app: web}}, data: {n: "2"}}
                    - {apiVersion: v1, kind: ConfigMap, metadata: {name: db-1, labels: {app: db}}}
                - name: list
                  k8s_info: {kind: ConfigMap, namespace: default, label_selectors: ['app=web']}
                  register: web
                - name: one
                  k8s_info: {kind: ConfigMap, name: web-2, wait: true, wait_for: data.n == 2, wait_timeout: 5}
                  register: w2
                  until: w2.resources?size == 1
                - name: count
                  assert: {that: ["web.resources?size == 2", "w2.resources[0].data.n == '2'"]}
                - name: missing kind
                  k8s_info: {kind: ConfigMapp}
                  ignore_errors: true
                """);
        assertEquals(ExitCode.OK, r.exitCode(), r.console());
        assertEquals("ok", r.results("list").get(0).path("status").asText());
        assertEquals(List.of("web-1", "web-2"), java.util.stream.StreamSupport.stream(
                r.results("list").get(0).path("result").path("resources").spliterator(), false)
                .map(n -> n.path("metadata").path("name").asText()).sorted().toList());
        assertEquals("ok", r.results("count").get(0).path("status").asText(), r.console());
        assertTrue(r.results("missing kind").get(0).path("message").asText().contains("ConfigMap"), r.console());
    }

    /** Custom resources first, their CRDs last, namespaces in the middle: 48 objects converge in one run. */
    static String fiftyObjects() {
        StringBuilder y = new StringBuilder();
        String[][] kinds = {{"Widget", "widgets"}, {"Gadget", "gadgets"}, {"Gizmo", "gizmos"}};
        for (int i = 0; i < 24; i++) {
            String[] k = kinds[i % 3];
            y.append("apiVersion: example.dev/v1\nkind: ").append(k[0]).append("\nmetadata: {name: cr-").append(i)
                    .append(", namespace: team-").append(i % 4).append("}\nspec: {size: ").append(i).append("}\n---\n");
        }
        for (int i = 0; i < 16; i++) {
            y.append("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-").append(i).append(", namespace: team-")
                    .append(i % 4).append("}\ndata: {index: \"").append(i).append("\"}\n---\n");
        }
        for (int i = 0; i < 4; i++) {
            y.append("apiVersion: v1\nkind: Namespace\nmetadata: {name: team-").append(i).append("}\n---\n");
        }
        y.append("apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: fast}\nprovisioner: example.dev/fast\n---\n");
        for (String[] k : kinds) {
            y.append(CRD.replace("Widget", k[0]).replace("widgets", k[1]).replace("widget,", k[0].toLowerCase() + ",")
                    .replace("WidgetList", k[0] + "List")).append("---\n");
        }
        return y.toString();
    }

    @Test
    void fiftyObjectsInTheWrongOrderConvergeInOneRunAndANoChangeRunCostsOneReadPerObject(@TempDir Path dir) throws Exception {
        Path src = Lab.write(dir, "fifty.yaml", fiftyObjects());
        String task = "- name: fifty\n  k8s: {src: " + src + "}\n";
        Lab.Run first = play(dir, task);
        assertEquals(ExitCode.OK, first.exitCode(), first.console());
        assertEquals(48, first.results("fifty").get(0).path("result").path("objects").asInt());
        assertEquals(48, first.results("fifty").get(0).path("result").path("created").size());
        assertEquals(5, ((Map<?, ?>) get("example.dev", "v1", "gizmos", "team-1", "cr-5").getAdditionalProperties().get("spec")).get("size"));
        api.resetCounts();
        Lab.Run again = play(dir, task);
        assertEquals("ok", again.results("fifty").get(0).path("status").asText(), again.console());
        int discovery = 4; // v1, storage.k8s.io/v1, apiextensions.k8s.io/v1, example.dev/v1
        assertEquals(48 + discovery, api.count("ALL"), "a no-change run reads each object once (plus discovery)");
        assertEquals(0, api.count("PATCH") + api.count("POST") + api.count("PUT") + api.count("DELETE"));
    }

    @Test
    void aFieldDroppedFromTheManifestIsRemovedThoughEveryFieldStillSetIsUnchanged(@TempDir Path dir) throws Exception {
        String cm = "- name: cm\n  k8s: {definition: {apiVersion: v1, kind: ConfigMap, metadata: {name: shrink}, data: %s}}\n";
        assertEquals(ExitCode.OK, play(dir, cm.formatted("{a: '1', b: '2'}")).exitCode());
        Lab.Run dropped = play(dir, cm.formatted("{a: '1'}"));
        assertEquals("changed", dropped.results("cm").get(0).path("status").asText(), dropped.console());
        assertEquals(Map.of("a", "1"), get("", "v1", "configmaps", "default", "shrink").getAdditionalProperties().get("data"));
        assertEquals("ok", play(dir, cm.formatted("{a: '1'}")).results("cm").get(0).path("status").asText());
    }

    @Test
    void aTemplateIsRenderedWithTheTasksVariablesAndValidatedBeforeAnythingIsApplied(@TempDir Path unused) throws Exception {
        Path dir = k.dir;
        Files.createDirectories(dir.resolve("templates"));
        Lab.write(dir, "templates/cms.yaml.ftl", """
                <#list 1..count as i>
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: tpl-${i}}
                data: {owner: "${owner}"}
                ---
                </#list>
                """);
        Lab.Run r = play(dir, "- name: tpl\n  k8s: {template: cms.yaml.ftl}\n  vars: {count: 3, owner: team-a}\n");
        assertEquals(ExitCode.OK, r.exitCode(), r.console());
        assertEquals("team-a", ((Map<?, ?>) get("", "v1", "configmaps", "default", "tpl-3").getAdditionalProperties().get("data")).get("owner"));
        Lab.write(dir, "templates/bad.yaml.ftl", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  replicas: ${n}\n");
        Map<String, String> before = api.snapshot();
        Lab.Run bad = play(dir, "- name: bad\n  k8s: {template: bad.yaml.ftl}\n  vars: {n: many}\n");
        assertEquals(ExitCode.INVALID_INPUT, bad.exitCode(), bad.console());
        String msg = bad.results("bad").get(0).path("message").asText();
        assertTrue(msg.contains("bad.yaml.ftl (rendered):5: Deployment d: /spec/replicas"), msg);
        assertEquals(before, api.snapshot());
    }

    @Test
    void refusedCredentialsNameVerbResourceNamespaceAndIdentityAndNeverTheToken(@TempDir Path unused) throws Exception {
        String text = Files.readString(kubeconfig);
        Path viewer = Lab.write(k.dir, "viewer", text.replace("s3cr3t-token-of-the-double", KubeApiDouble.VIEWER_TOKEN));
        Path expired = Lab.write(k.dir, "expired", text.replace("s3cr3t-token-of-the-double", KubeApiDouble.EXPIRED_TOKEN));
        String task = "- name: k\n  k8s: {kubeconfig: %s, definition: {apiVersion: v1, kind: ConfigMap, metadata: {name: x}}}\n";
        Lab.Run forbidden = play(k.dir, task.formatted(viewer));
        assertEquals(ExitCode.TASK_FAILED, forbidden.exitCode(), forbidden.console());
        String msg = forbidden.results("k").get(0).path("message").asText();
        assertTrue(msg.contains("forbidden (403) to apply (dry run) ConfigMap x in namespace default")
                && msg.contains("User \"system:serviceaccount:default:viewer\" cannot patch resource \"configmaps\""), msg);
        Lab.Run unauthorized = play(k.dir, task.formatted(expired));
        assertEquals(ExitCode.TASK_FAILED, unauthorized.exitCode(), unauthorized.console());
        String refused = unauthorized.results("k").get(0).path("message").asText();
        assertTrue(refused.contains("unauthorized (401)"), unauthorized.console());
        // the identity used, from the kubeconfig (never its secret): user, context, the kind of credential, the file
        assertTrue(msg.contains("as kubeconfig user 'tester' (context 'double', bearer token, kubeconfig " + viewer + ")"), msg);
        assertTrue(refused.contains("kubeconfig user 'tester' (context 'double', bearer token, kubeconfig " + expired + ")")
                && refused.contains("renew the bearer token of user 'tester'"), refused);
        for (Lab.Run r : List.of(forbidden, unauthorized)) {
            for (String token : List.of(KubeApiDouble.VIEWER_TOKEN, KubeApiDouble.EXPIRED_TOKEN)) {
                assertFalse(r.console().contains(token) || r.eventsText().contains(token), "a token leaked");
            }
        }
    }

    @Test
    void waitsFollowAnOperatorThroughTheWatchUntilItsCrIsDeployedAndAvailable(@TempDir Path unused) throws Exception {
        try (var operator = new dev.hyperform.modules.kubernetes.ScriptedKubeVirtOperator(k.client, 1500)) {
            Path src = Lab.write(k.dir, "kubevirt.yaml", """
                    apiVersion: kubevirt.io/v1
                    kind: KubeVirt
                    metadata: {name: kubevirt, namespace: kubevirt}
                    spec: {imagePullPolicy: IfNotPresent}
                    ---
                    apiVersion: v1
                    kind: Namespace
                    metadata: {name: kubevirt}
                    ---
                    apiVersion: apiextensions.k8s.io/v1
                    kind: CustomResourceDefinition
                    metadata: {name: kubevirts.kubevirt.io}
                    spec:
                      group: kubevirt.io
                      scope: Namespaced
                      names: {kind: KubeVirt, plural: kubevirts, singular: kubevirt, listKind: KubeVirtList}
                      versions:
                      - {name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}
                    """);
            long t0 = System.nanoTime();
            Lab.Run r = play(k.dir, """
                    - name: kubevirt
                      k8s: {src: %s, wait: true, wait_for: status.phase == Deployed, wait_timeout: 20}
                    - name: available
                      k8s_info: {api_version: kubevirt.io/v1, kind: KubeVirt, name: kubevirt, namespace: kubevirt,
                                 wait: true, wait_condition: {type: Available}, wait_timeout: 5}
                      register: kv
                    - name: deployed
                      assert: {that: ["kv.resources[0].status.phase == 'Deployed'"]}
                    """.formatted(src));
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertEquals(ExitCode.OK, r.exitCode(), r.console());
            assertEquals("changed", r.results("kubevirt").get(0).path("status").asText());
            assertTrue(seconds >= 1.5 && seconds < 15, "the wait ended when the operator deployed: " + seconds + " s");
            Lab.Run again = play(k.dir, "- name: kubevirt\n  k8s: {src: " + src + ", wait: true, wait_for: status.phase == Deployed}\n");
            assertEquals("ok", again.results("kubevirt").get(0).path("status").asText(), again.console());
        }
    }

    @Test
    void tlsIsVerifiedUnlessTheKubeconfigItselfSaysOtherwise(@TempDir Path dir) throws Exception {
        try (KubeApiDouble tls = new KubeApiDouble(true)) {
            Path strict = tls.kubeconfig(dir);
            String task = "- name: k\n  k8s: {kubeconfig: %s, definition: {apiVersion: v1, kind: ConfigMap, metadata: {name: x}}}\n";
            Lab.Run refused = play(dir, task.formatted(strict));
            assertEquals(ExitCode.TASK_FAILED, refused.exitCode(), refused.console());
            assertTrue(refused.results("k").get(0).path("message").asText().contains("TLS: the Kubernetes API's certificate is not trusted"),
                    refused.console());
            assertEquals(Map.of(), tls.snapshot());
            Path insecure = Lab.write(dir, "insecure", Files.readString(strict).replace("cluster: {server:", "cluster: {insecure-skip-tls-verify: true, server:"));
            Lab.Run accepted = play(dir, task.formatted(insecure));
            assertEquals(ExitCode.OK, accepted.exitCode(), accepted.console());
        }
    }

    @Test
    void aControlPlanesKubeconfigIsReadOverItsConnectionAndTheApiReachedThroughItsForward(@TempDir Path unused) throws Exception {
        // the control plane is an inventory host on the local connection: its "forward" is the address itself, so this
        // exercises the fetch and the client's name-to-loopback resolution; K8sForwardLabTest does it over SSH
        Path onHost = Lab.write(k.dir, "admin.conf", Files.readString(kubeconfig));
        Path inv = Lab.write(k.dir, "cp-hosts", "cp1 ansible_connection=local\n");
        Path pb = Lab.write(k.dir, "cp.yaml", """
                - hosts: cp1
                  gather_facts: false
                  vars: {k8s_control_plane: cp1, k8s_via_ssh: true, k8s_control_plane_kubeconfig: %s}
                  tasks:
                    - name: cm
                      k8s: {definition: {apiVersion: v1, kind: ConfigMap, metadata: {name: via-cp}}}
                """.formatted(onHost));
        Lab.Run r = Lab.play(k.dir, "-i", inv.toString(), pb.toString(), "-vv");
        assertEquals(ExitCode.OK, r.exitCode(), r.console());
        assertTrue(get("", "v1", "configmaps", "default", "via-cp") != null);
        assertTrue(log(r, "cm").contains("probe shell <cp1> cat " + onHost), log(r, "cm").toString());
        assertFalse(r.console().contains("s3cr3t-token") || r.eventsText().contains("s3cr3t-token"), "the token leaked");
    }
}
