package dev.hyperform.run;

import dev.hyperform.playbook.Play;
import dev.hyperform.vars.Expressions;
import dev.hyperform.vars.Origin;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A play's {@code hosts:} pattern as the run uses it. As in ansible-playbook it may be an expression over the
 * variables known before any host is chosen: the play's {@code vars} and {@code -e} (which wins), e.g.
 * {@code hosts: ${target!'hci'}} with {@code -e target=node2}. An undefined variable is an error naming the play.
 */
public final class PlayHosts {
    private PlayHosts() {
    }

    public static String pattern(Play play, Map<String, Object> extraVars, Expressions expressions) {
        String written = String.valueOf(play.hosts());
        if (!written.contains("${")) {
            return written;
        }
        Map<String, Object> scope = new LinkedHashMap<>(play.vars());
        scope.putAll(extraVars);
        Object r = expressions.interpolate(written, scope, new Origin(null, "hosts: " + written,
                play.location()));
        return r instanceof Iterable<?> list ? String.join(",", toStrings(list)) : String.valueOf(r);
    }

    private static java.util.List<String> toStrings(Iterable<?> list) {
        java.util.List<String> out = new java.util.ArrayList<>();
        list.forEach(o -> out.add(String.valueOf(o)));
        return out;
    }
}
