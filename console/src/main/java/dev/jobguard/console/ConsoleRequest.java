package dev.jobguard.console;

import java.util.Map;
import java.util.Objects;

/**
 * One HTTP request to the console, as its host (the standalone server, the Spring servlet) read it.
 *
 * @param method {@code GET} or {@code POST}
 * @param path the path below the console's base path, starting with {@code /}
 * @param params the query's and the form's parameters (one value each)
 * @param actor who is asking: the authenticated user, or the OS user of the standalone console
 * @param actionsAllowed whether this actor may act (disable, enable, revert); false shows the pages read-only
 * @param hostCsrfFields hidden form fields the host's CSRF protection needs (Spring Security's token), which the host
 *     checks itself; empty: the console protects its forms with its own token
 */
public record ConsoleRequest(
        String method,
        String path,
        Map<String, String> params,
        String actor,
        boolean actionsAllowed,
        Map<String, String> hostCsrfFields) {

    public ConsoleRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(actor, "actor");
        params = Map.copyOf(params);
        hostCsrfFields = Map.copyOf(hostCsrfFields);
    }

    /** A parameter, stripped; null when absent or blank. */
    String param(String name) {
        String value = params.get(name);
        return value == null || value.isBlank() ? null : value.strip();
    }
}
