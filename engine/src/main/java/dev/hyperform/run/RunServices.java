package dev.hyperform.run;

import dev.hyperform.facts.FactGatherer;
import dev.hyperform.module.ModuleRegistry;
import dev.hyperform.transport.Connections;
import dev.hyperform.vars.Expressions;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/** The run-wide collaborators every part of the runner shares. */
record RunServices(Expressions expressions, ModuleRegistry registry, Connections connections, Emitter emitter,
                   HandlerQueue handlers, TargetFactory targets, Map<String, HostState> hosts, IncludeLoader loader,
                   FactGatherer facts, ExecutorService workers, int forks, AtomicBoolean interrupted,
                   TagFilter tags) {
}
