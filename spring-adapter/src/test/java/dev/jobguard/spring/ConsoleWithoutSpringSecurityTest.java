package dev.jobguard.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobguard.console.Console;
import dev.jobguard.console.InvoiceIncident;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * The embedded console of an application without Spring Security: read-only unless jobguard.console.actions-enabled,
 * its own CSRF token on every form. (With Spring Security: {@link EmbeddedConsoleBrowserTest}.)
 */
class ConsoleWithoutSpringSecurityTest {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    private InvoiceIncident incident;
    private Console console;

    @BeforeEach
    void stage() throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:plain-console-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        incident = InvoiceIncident.stage(h2);
        console = Console.builder(incident.guard).build();
    }

    private MockHttpServletResponse call(ConsoleRequestHandler handler, String method, String path, String... params)
            throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest(method, "/app/jobguard" + path);
        request.setContextPath("/app");
        request.setRemoteAddr("10.0.0.7");
        for (int i = 0; i < params.length; i += 2) {
            request.addParameter(params[i], params[i + 1]);
        }
        MockHttpServletResponse response = new MockHttpServletResponse();
        handler.handleRequest(request, response);
        return response;
    }

    @Test
    void byDefaultItIsReadOnlyAndAnActionIsRefused() throws Exception {
        ConsoleRequestHandler readOnly = new ConsoleRequestHandler(console, false, false, "X");

        MockHttpServletResponse page = call(readOnly, "GET", "/job", "name", InvoiceIncident.JOB);
        assertThat(page.getStatus()).isEqualTo(200);
        assertThat(page.getContentAsString()).contains("Read-only").doesNotContain("<form");

        MockHttpServletResponse action =
                call(readOnly, "POST", "/action", "action", "enable", "job", InvoiceIncident.JOB, "reason", "x");
        assertThat(action.getStatus()).isEqualTo(403);
        assertThat(incident.jobRow(InvoiceIncident.JOB)[0]).isEqualTo("DISABLED");
    }

    @Test
    void withActionsEnabledAnActionNeedsTheConsolesCsrfTokenAndIsRecordedAsTheRemoteAddress() throws Exception {
        ConsoleRequestHandler open = new ConsoleRequestHandler(console, false, true, "X");
        Matcher csrf = CSRF.matcher(
                call(open, "GET", "/job", "name", InvoiceIncident.JOB).getContentAsString());
        assertThat(csrf.find()).isTrue();

        MockHttpServletResponse forged = call(
                open,
                "POST",
                "/action",
                "action",
                "enable",
                "job",
                InvoiceIncident.JOB,
                "reason",
                "x",
                "csrf",
                "guess");
        assertThat(forged.getStatus()).isEqualTo(403);
        assertThat(incident.jobRow(InvoiceIncident.JOB)[0]).isEqualTo("DISABLED");

        MockHttpServletResponse enabled = call(
                open,
                "POST",
                "/action",
                "action",
                "enable",
                "job",
                InvoiceIncident.JOB,
                "reason",
                "fixed",
                "csrf",
                csrf.group(1));
        assertThat(enabled.getStatus()).isEqualTo(303);
        assertThat(enabled.getHeader("Location")).isEqualTo("/app/jobguard/job?name=" + InvoiceIncident.JOB);
        assertThat(incident.jobRow(InvoiceIncident.JOB)).containsExactly("ENABLED", "fixed", "console@10.0.0.7", null);
    }
}
