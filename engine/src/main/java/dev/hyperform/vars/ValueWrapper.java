package dev.hyperform.vars;

import freemarker.template.DefaultObjectWrapper;
import freemarker.template.SimpleScalar;
import freemarker.template.TemplateModel;
import freemarker.template.TemplateModelException;
import java.nio.file.Path;

/**
 * How Java values look inside expressions: maps, lists, numbers, booleans and strings as FreeMarker's own types
 * (through adapters, so lazily resolved scopes keep working), and {@link Secret}s and paths as plain text — a
 * secret renders to its real value so commands work; output is redacted by the runner.
 */
final class ValueWrapper extends DefaultObjectWrapper {

    ValueWrapper() {
        super(freemarker.template.Configuration.VERSION_2_3_33);
        setUseAdaptersForContainers(true);
        setForceLegacyNonListCollections(false);
    }

    @Override
    protected TemplateModel handleUnknownType(Object obj) throws TemplateModelException {
        if (obj instanceof Secret s) {
            return new SimpleScalar(s.reveal());
        }
        if (obj instanceof Path p) {
            return new SimpleScalar(p.toString());
        }
        return super.handleUnknownType(obj);
    }
}
