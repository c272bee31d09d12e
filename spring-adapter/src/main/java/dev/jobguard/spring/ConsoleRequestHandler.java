package dev.jobguard.spring;

import dev.jobguard.console.Console;
import dev.jobguard.console.ConsoleRequest;
import dev.jobguard.console.ConsoleResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.HashMap;
import java.util.Map;
import org.springframework.web.HttpRequestHandler;

/**
 * Serves the operator console through Spring MVC. The actor is the request's principal (Spring Security's user); with
 * Spring Security, a user may act when it has the action role, and the forms carry Spring Security's CSRF token (which
 * its filter checks); without it, anyone who reaches the console may act only when actions are enabled.
 */
final class ConsoleRequestHandler implements HttpRequestHandler {

    /** The request attribute where Spring Security's CSRF filter puts its token. */
    static final String SPRING_SECURITY_CSRF = "_csrf";

    private final Console console;
    private final boolean springSecurity;
    private final boolean actionsEnabled;
    private final String actionRole;

    ConsoleRequestHandler(Console console, boolean springSecurity, boolean actionsEnabled, String actionRole) {
        this.console = console;
        this.springSecurity = springSecurity;
        this.actionsEnabled = actionsEnabled;
        this.actionRole = actionRole;
    }

    @Override
    public void handleRequest(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String within =
                request.getRequestURI().substring(request.getContextPath().length());
        String base = console.basePath();
        String path = within.length() > base.length() ? within.substring(base.length()) : "/";
        Map<String, String> params = new HashMap<>();
        request.getParameterMap().forEach((name, values) -> {
            if (values.length > 0) {
                params.put(name, values[0]);
            }
        });
        Principal principal = request.getUserPrincipal();
        String actor = principal != null && principal.getName() != null
                ? principal.getName()
                : "console@" + request.getRemoteAddr();
        boolean mayAct = springSecurity ? principal != null && request.isUserInRole(actionRole) : actionsEnabled;
        ConsoleResponse answer = console.handle(
                new ConsoleRequest(request.getMethod(), path, params, actor, mayAct, csrfFields(request)));
        response.setStatus(answer.status());
        answer.headers()
                .forEach((name, value) ->
                        response.setHeader(name, name.equals("Location") ? request.getContextPath() + value : value));
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        if (body.length > 0) {
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        }
    }

    /** Spring Security's CSRF token as a form field, when its filter put one on the request. */
    private static Map<String, String> csrfFields(HttpServletRequest request) {
        Object token = request.getAttribute(SPRING_SECURITY_CSRF);
        if (token == null) {
            return Map.of();
        }
        try {
            Method name = token.getClass().getMethod("getParameterName");
            Method value = token.getClass().getMethod("getToken");
            name.setAccessible(true);
            value.setAccessible(true);
            return Map.of((String) name.invoke(token), (String) value.invoke(token));
        } catch (ReflectiveOperationException | RuntimeException unreadable) {
            throw new IllegalStateException(
                    "jobguard: could not read Spring Security's CSRF token for the console's forms", unreadable);
        }
    }
}
