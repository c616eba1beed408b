package dev.hyperform.module;

import java.util.Objects;

/**
 * An operation that is an API call made from the controller (for example a Kubernetes server-side apply), planned
 * from what was read like a {@link Command}. {@code verb} and {@code resource} name it in events
 * ({@code apply apps/v1 Deployment default/web}); {@code action} performs it in a real run and returns a short
 * outcome ("created", "configured"); it throws a {@link ModuleException} (or a
 * {@link dev.hyperform.transport.HostUnreachableException} when the API cannot be reached) when it fails.
 */
public record ApiCall(String verb, String resource, String detail, boolean sensitive, Action action)
        implements Operation {

    /** Performs the call; only ever invoked in a real run. */
    @FunctionalInterface
    public interface Action {
        String call();
    }

    public ApiCall {
        Objects.requireNonNull(verb, "verb");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(action, "action");
        detail = detail == null ? "" : detail;
    }

    public static ApiCall of(String verb, String resource, Action action) {
        return new ApiCall(verb, resource, "", false, action);
    }

    public ApiCall detailed(String text) {
        return new ApiCall(verb, resource, text, sensitive, action);
    }

    public ApiCall asSensitive() {
        return new ApiCall(verb, resource, detail, true, action);
    }

    @Override
    public String display() {
        return sensitive ? "<api call hidden: no_log>" : "api " + verb + " " + resource + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
