package dev.jobguard.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobguard.GuardMode;
import dev.jobguard.JobGuard;
import dev.jobguard.state.JobStatus;
import java.lang.reflect.Method;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/** The endpoint and health contributor beans: exposure, actor, messages, configurable health status. */
class JobGuardActuatorTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    JobGuardAutoConfiguration.class,
                    JobGuardEndpointAutoConfiguration.class,
                    BootLine.healthAutoConfiguration()))
            .withUserConfiguration(
                    H2Jobs.DataSourceConfig.class, H2Jobs.TransactionConfig.class, H2Jobs.JobsConfig.class);

    @Test
    void theEndpointExistsOnlyWhenExposed() {
        runner.run(context -> assertThat(context).doesNotHaveBean(JobGuardEndpoint.class));
        runner.withPropertyValues("management.endpoints.web.exposure.include=jobguard")
                .run(context -> assertThat(context).hasSingleBean(JobGuardEndpoint.class));
    }

    @Test
    void theActorIsTheAuthenticatedPrincipalAndUnknownJobsAre404() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=jobguard")
                .run(context -> {
                    JobGuardEndpoint endpoint = context.getBean(JobGuardEndpoint.class);
                    JobGuard guard = context.getBean(JobGuard.class);

                    WebEndpointResponse<Map<String, Object>> disabled = endpoint.change(
                            "cancel-overdue-invoices", "disable", "incident 42", null, null, as("alice"));
                    assertThat(disabled.getStatus()).isEqualTo(200);
                    assertThat(guard.state("cancel-overdue-invoices").job().actor())
                            .isEqualTo("alice");
                    assertThat(guard.state("cancel-overdue-invoices").job().status())
                            .isEqualTo(JobStatus.DISABLED);

                    endpoint.change(
                            "cancel-overdue-invoices", "enable", "try the fix", "observe", null, SecurityContext.NONE);
                    assertThat(guard.state("cancel-overdue-invoices").job().actor())
                            .isEqualTo("actuator");
                    assertThat(guard.state("cancel-overdue-invoices").job().modeOverride())
                            .isEqualTo(GuardMode.OBSERVE);

                    WebEndpointResponse<Map<String, Object>> unknown = endpoint.job("nope");
                    assertThat(unknown.getStatus()).isEqualTo(404);
                    assertThat(unknown.getBody().get("message").toString())
                            .contains("unknown job 'nope'")
                            .contains("cancel-overdue-invoices");
                    assertThat(endpoint.job("tx-cancel").getStatus()).isEqualTo(200);
                });
    }

    @Test
    void aMissingReasonOrActionIsA400WithAMessageAndChangesNothing() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=jobguard")
                .run(context -> {
                    JobGuardEndpoint endpoint = context.getBean(JobGuardEndpoint.class);
                    JobGuard guard = context.getBean(JobGuard.class);

                    for (String reason : new String[] {null, " "}) {
                        WebEndpointResponse<Map<String, Object>> noReason =
                                endpoint.change("cancel-overdue-invoices", "disable", reason, null, null, as("alice"));
                        assertThat(noReason.getStatus()).isEqualTo(400);
                        assertThat(noReason.getBody().get("message").toString())
                                .contains("reason", "cancel-overdue-invoices", "\"reason\":");
                    }
                    assertThat(endpoint.change("cancel-overdue-invoices", "enable", null, "dry-run", null, as("alice"))
                                    .getStatus())
                            .isEqualTo(400);

                    WebEndpointResponse<Map<String, Object>> noAction =
                            endpoint.change("cancel-overdue-invoices", null, "INC-1", null, null, as("alice"));
                    assertThat(noAction.getStatus()).isEqualTo(400);
                    assertThat(noAction.getBody().get("message").toString())
                            .contains("missing action", "\"disable\"", "\"enable\"");

                    assertThat(guard.state("cancel-overdue-invoices").job().version())
                            .as("nothing was stored")
                            .isZero();
                });
    }

    @Test
    @SuppressWarnings("unchecked")
    void aDisableUntilATimeIsStoredAndTheJobShowsItsAuditTrail() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=jobguard")
                .run(context -> {
                    JobGuardEndpoint endpoint = context.getBean(JobGuardEndpoint.class);
                    JobGuard guard = context.getBean(JobGuard.class);
                    String until = java.time.Instant.now()
                            .plus(java.time.Duration.ofHours(2))
                            .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                            .toString();

                    WebEndpointResponse<Map<String, Object>> disabled = endpoint.change(
                            "cancel-overdue-invoices", "disable", "INC-9 migration", null, until, as("alice"));

                    assertThat(disabled.getStatus()).isEqualTo(200);
                    assertThat(disabled.getBody()).containsEntry("disabledUntil", until);
                    assertThat(guard.state("cancel-overdue-invoices").job().disabledUntil())
                            .isEqualTo(java.time.Instant.parse(until));
                    List<Map<String, Object>> actions = (List<Map<String, Object>>)
                            endpoint.job("cancel-overdue-invoices").getBody().get("actions");
                    assertThat(actions)
                            .singleElement()
                            .satisfies(action -> assertThat(action)
                                    .containsEntry("action", "DISABLED")
                                    .containsEntry("actor", "alice")
                                    .containsEntry("reason", "INC-9 migration")
                                    .containsEntry("until", until));

                    for (String bad : new String[] {"tomorrow", "2020-01-01T00:00:00Z"}) {
                        WebEndpointResponse<Map<String, Object>> refused =
                                endpoint.change("tx-cancel", "disable", "x", null, bad, as("alice"));
                        assertThat(refused.getStatus()).as(bad).isEqualTo(400);
                        assertThat(refused.getBody().get("message").toString()).contains("tx-cancel", "until");
                    }
                    WebEndpointResponse<Map<String, Object>> enableUntil =
                            endpoint.change("tx-cancel", "enable", "x", null, until, as("alice"));
                    assertThat(enableUntil.getStatus()).isEqualTo(400);
                    assertThat(guard.state("tx-cancel").job().version()).isZero();
                });
    }

    @Test
    void aRunIsRevertedThroughTheEndpointOnceAndOnlyUnderItsOwnJob() {
        runner.withPropertyValues(
                        "management.endpoints.web.exposure.include=jobguard",
                        "jobguard.jobs.cancel-overdue-invoices.max-rows-changed=100",
                        "jobguard.jobs.cancel-overdue-invoices.journal=true")
                .run(context -> {
                    JobGuardEndpoint endpoint = context.getBean(JobGuardEndpoint.class);
                    JobGuard guard = context.getBean(JobGuard.class);
                    H2Jobs.InvoiceJobs jobs = context.getBean(H2Jobs.InvoiceJobs.class);
                    jobs.cancelAll();
                    String runId =
                            guard.runs("cancel-overdue-invoices", 1).get(0).runId();

                    WebEndpointResponse<Map<String, Object>> dry =
                            endpoint.revert("cancel-overdue-invoices", runId, true, null, null, as("alice"));
                    assertThat(dry.getStatus()).isEqualTo(200);
                    assertThat(dry.getBody())
                            .containsEntry("dryRun", true)
                            .containsEntry("rowsReverted", 10L)
                            .containsEntry("conflictCount", 0L)
                            .containsEntry("gapCount", 0);
                    assertThat(jobs.cancelled()).isEqualTo(H2Jobs.INVOICES);

                    assertThat(endpoint.revert("tx-cancel", runId, null, null, null, as("alice"))
                                    .getStatus())
                            .as("a run of another job")
                            .isEqualTo(404);

                    WebEndpointResponse<Map<String, Object>> reverted =
                            endpoint.revert("cancel-overdue-invoices", runId, null, null, "INC-7", as("alice"));
                    assertThat(reverted.getStatus()).isEqualTo(200);
                    assertThat(reverted.getBody()).containsEntry("applied", true);
                    assertThat(jobs.cancelled()).isZero();

                    WebEndpointResponse<Map<String, Object>> again =
                            endpoint.revert("cancel-overdue-invoices", runId, null, null, null, as("alice"));
                    assertThat(again.getStatus()).isEqualTo(409);
                    assertThat(again.getBody().get("message").toString()).contains("reverted already, by alice");
                    assertThat(endpoint.revert("cancel-overdue-invoices", "no-such-run", null, null, null, as("bob"))
                                    .getStatus())
                            .isEqualTo(404);
                });
    }

    @Test
    @SuppressWarnings("unchecked")
    void eachRunSaysTheRowsItCommittedAndTheRowsRolledBack() {
        runner.withPropertyValues(
                        "management.endpoints.web.exposure.include=jobguard",
                        // counted after execution: the preflight would refuse the statement before it changed a row
                        "jobguard.jobs.cancel-overdue-invoices.preflight=false",
                        "jobguard.jobs.tx-cancel.max-rows-per-statement=100")
                .run(context -> {
                    JobGuardEndpoint endpoint = context.getBean(JobGuardEndpoint.class);
                    H2Jobs.InvoiceJobs jobs = context.getBean(H2Jobs.InvoiceJobs.class);
                    jobs.cancelAll(); // maxRowsChanged = 5: trips on its one statement of 10 rows
                    assertThat(jobs.cancelled()).isZero();
                    jobs.transactionalCancelAll(); // @Transactional, within its limit of 100 per statement
                    assertThat(jobs.cancelled()).isEqualTo(H2Jobs.INVOICES);

                    Map<String, Object> tripped = ((List<Map<String, Object>>) endpoint.job("cancel-overdue-invoices")
                                    .getBody()
                                    .get("runs"))
                            .get(0);
                    assertThat(tripped)
                            .containsEntry("outcome", "TRIPPED")
                            .containsEntry("rowsChanged", 10L)
                            .containsEntry("rowsCommitted", 0L)
                            .containsEntry("rowsRolledBack", 10L);
                    Map<String, Object> kept = ((List<Map<String, Object>>)
                                    endpoint.job("tx-cancel").getBody().get("runs"))
                            .get(0);
                    assertThat(kept)
                            .containsEntry("outcome", "SUCCEEDED")
                            .containsEntry("rowsChanged", 10L)
                            .containsEntry("rowsCommitted", 10L)
                            .containsEntry("rowsRolledBack", 0L);
                });
    }

    @Test
    void aDryRunNowThatWouldTripSaysSoNamesWhoAskedAndNeitherChangesRowsNorDisablesTheJob() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=jobguard")
                .run(context -> {
                    JobGuardEndpoint endpoint = context.getBean(JobGuardEndpoint.class);
                    JobGuard guard = context.getBean(JobGuard.class);
                    H2Jobs.InvoiceJobs jobs = context.getBean(H2Jobs.InvoiceJobs.class);

                    // maxRowsChanged = 5, and the job's one statement changes 10 rows
                    WebEndpointResponse<Map<String, Object>> answer =
                            endpoint.change("cancel-overdue-invoices", "run", null, "dry-run", null, null, as("alice"));

                    assertThat(answer.getStatus()).isEqualTo(200);
                    assertThat(answer.getBody())
                            .containsEntry("outcome", "TRIPPED")
                            .containsEntry("mode", "DRY_RUN")
                            .containsEntry("detail", "run now by alice via actuator, asked for DRY_RUN");
                    assertThat(answer.getBody().get("trip").toString()).contains("maxRowsChanged");
                    assertThat(jobs.cancelled()).isZero();
                    assertThat(guard.state("cancel-overdue-invoices").job().isDisabled())
                            .isFalse();

                    WebEndpointResponse<Map<String, Object>> waitOnDisable =
                            endpoint.change("tx-cancel", "disable", "x", null, null, false, as("alice"));
                    assertThat(waitOnDisable.getStatus()).isEqualTo(400);
                    assertThat(waitOnDisable.getBody().get("message").toString())
                            .contains("\"wait\" applies to run only");
                });
    }

    @Test
    void aNegativeRunNowTimeoutFailsTheStartNamingTheSettingAndTheFix() {
        runner.withPropertyValues("jobguard.run-now.timeout=-1s")
                .run(context -> assertThat(org.springframework.core.NestedExceptionUtils.getMostSpecificCause(
                                context.getStartupFailure()))
                        .hasMessageContaining("jobguard.run-now.timeout=PT-1S")
                        .hasMessageContaining("e.g. 30s"));
    }

    @Test
    void healthIsUpByDefaultAndTheConfiguredStatusWhileAJobIsDisabled() {
        runner.run(context -> {
            Object indicator = context.getBean("jobguardHealthIndicator");
            assertThat(status(indicator)).isEqualTo("UP");
            context.getBean(JobGuard.class).disable("tx-cancel", "test", "tester");
            assertThat(status(indicator)).isEqualTo("UP");
            assertThat(details(indicator)).containsKey("disabledJobs");
            assertThat(details(indicator).get("disabledJobs").toString()).contains("tx-cancel");
        });
        runner.withPropertyValues("jobguard.health.disabled-status=out_of_service")
                .run(context -> {
                    Object indicator = context.getBean("jobguardHealthIndicator");
                    assertThat(status(indicator)).isEqualTo("UP");
                    context.getBean(JobGuard.class).disableAll("maintenance", "tester");
                    assertThat(status(indicator)).isEqualTo("OUT_OF_SERVICE");
                });
        runner.withPropertyValues("management.health.jobguard.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean("jobguardHealthIndicator"));
    }

    @Test
    void aDisabledStatusTheHealthAggregateWouldIgnoreFailsTheStart() {
        runner.withPropertyValues("jobguard.health.disabled-status=DOWNN")
                .run(context -> assertThat(org.springframework.core.NestedExceptionUtils.getMostSpecificCause(
                                context.getStartupFailure()))
                        .hasMessageContaining("jobguard.health.disabled-status ('DOWNN')")
                        .hasMessageContaining("use UP, OUT_OF_SERVICE or DOWN")
                        .hasMessageContaining("management.endpoint.health.status.order"));
        runner.withPropertyValues("jobguard.health.disabled-status= ")
                .run(context -> assertThat(org.springframework.core.NestedExceptionUtils.getMostSpecificCause(
                                context.getStartupFailure()))
                        .hasMessageContaining("jobguard.health.disabled-status"));
        runner.withPropertyValues(
                        "jobguard.health.disabled-status=degraded",
                        "management.endpoint.health.status.order=down,degraded,out-of-service,up,unknown")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    context.getBean(JobGuard.class).disableAll("maintenance", "tester");
                    assertThat(status(context.getBean("jobguardHealthIndicator")))
                            .isEqualTo("DEGRADED");
                });
        runner.withPropertyValues("jobguard.health.disabled-status=out-of-service")
                .run(context -> {
                    context.getBean(JobGuard.class).disableAll("maintenance", "tester");
                    assertThat(status(context.getBean("jobguardHealthIndicator")))
                            .isEqualTo("OUT_OF_SERVICE");
                });
    }

    private static SecurityContext as(String name) {
        Principal principal = () -> name;
        return new SecurityContext() {
            @Override
            public Principal getPrincipal() {
                return principal;
            }

            @Override
            public boolean isUserInRole(String role) {
                return false;
            }
        };
    }

    // the health types live in different packages on Boot 4 and Boot 3.5: read them reflectively
    private static Object health(Object indicator) throws Exception {
        Method health = indicator.getClass().getMethod("health");
        health.setAccessible(true);
        return health.invoke(indicator);
    }

    private static String status(Object indicator) throws Exception {
        Object health = health(indicator);
        Object status = health.getClass().getMethod("getStatus").invoke(health);
        return (String) status.getClass().getMethod("getCode").invoke(status);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> details(Object indicator) throws Exception {
        Object health = health(indicator);
        return (Map<String, Object>) health.getClass().getMethod("getDetails").invoke(health);
    }
}
