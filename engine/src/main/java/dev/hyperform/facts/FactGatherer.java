package dev.hyperform.facts;

import dev.hyperform.transport.Transport;
import java.util.Map;

/**
 * CONTRACT (implemented by the SSH work): gathers a host's facts in one round trip with one POSIX shell script
 * (no Python on the target) and returns them as nested maps, exposed to playbooks as {@code facts.*}.
 */
public final class FactGatherer {

    public Map<String, Object> gather(Transport transport) {
        throw new UnsupportedOperationException("facts: not built yet");
    }
}
