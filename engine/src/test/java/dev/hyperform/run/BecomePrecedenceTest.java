package dev.hyperform.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hyperform.transport.Become;
import dev.hyperform.vars.Expressions;
import dev.hyperform.vars.Origin;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Who a task becomes: as in ansible-core, a variable (inventory, group_vars, vars:, -e) beats the keyword it stands
 * for; checked against ansible-playbook 2.14 (play {@code become: true, become_user: nobody} with host variable
 * {@code ansible_become=false} runs as the connecting user).
 */
class BecomePrecedenceTest {

    @ParameterizedTest(name = "keywords become={0} user={1} method={2}, variables {3} -> {4}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            true  | nobody | -   | -                                              | sudo nobody
            true  | nobody | -   | ansible_become=false                           | none
            -     | -      | -   | ansible_become=true                            | sudo root
            false | -      | -   | ansible_become=true                            | sudo root
            true  | nobody | -   | ansible_become_user=admin                      | sudo admin
            true  | -      | sudo| ansible_become_method=su                       | su root
            true  | nobody | -   | hyperform_become=false,ansible_become=true     | none
            -     | -      | -   | -                                              | none
            """)
    void aVariableBeatsTheKeywordItStandsFor(String become, String user, String method, String vars, String expected) {
        Map<String, Object> scope = new LinkedHashMap<>();
        if (vars != null) {
            for (String kv : vars.split(",")) {
                String[] p = kv.split("=", 2);
                scope.put(p[0].trim(), p[1].trim());
            }
        }
        Inherited inh = new Inherited(List.of(), Set.of(), become, user, method, null, null, null, Map.of(), null,
                null, List.of(), null, null, null, null, null, null, null, null, Map.of());
        Become b = Options.become(inh, new Expressions(), scope, new Origin("h1", "t", null));
        assertEquals(expected, b.enabled() ? b.method() + " " + b.user() : "none");
    }
}
