package dev.jobguard.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobguard.JobGuard;
import dev.jobguard.RunOutcome;
import dev.jobguard.jdbc.GuardedDataSource;
import dev.jobguard.state.JobStatus;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** Plain Spring: {@code @EnableJobGuard} without Boot's auto-configuration. */
class EnableJobGuardTest {

    @Configuration(proxyBeanMethods = false)
    @EnableJobGuard
    @Import({H2Jobs.DataSourceConfig.class, H2Jobs.TransactionConfig.class, H2Jobs.JobsConfig.class})
    static class PlainApp {}

    @Test
    void guardsAnnotatedMethodsInAPlainSpringContext() {
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(PlainApp.class)) {
            assertThat(context.getBean(DataSource.class)).isInstanceOf(GuardedDataSource.class);
            H2Jobs.InvoiceJobs jobs = context.getBean(H2Jobs.InvoiceJobs.class);
            JobGuard guard = context.getBean(JobGuard.class);

            jobs.cancelAll();
            jobs.transactionalCancelAll();

            assertThat(jobs.cancelled()).isZero();
            assertThat(guard.runs("cancel-overdue-invoices", 1).get(0).outcome())
                    .isEqualTo(RunOutcome.TRIPPED);
            assertThat(guard.state("tx-cancel").job().status()).isEqualTo(JobStatus.DISABLED);
        }
    }

    @Test
    void readsTheGlobalSwitchAndTheWrapFlagFromTheEnvironment() {
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
            context.getEnvironment()
                    .getPropertySources()
                    .addFirst(new org.springframework.core.env.MapPropertySource(
                            "test",
                            java.util.Map.of("jobguard.enabled", "false", "jobguard.datasource.wrap", "false")));
            context.register(PlainApp.class);
            context.refresh();
            assertThat(context.getBean(DataSource.class)).isNotInstanceOf(GuardedDataSource.class);
            H2Jobs.InvoiceJobs jobs = context.getBean(H2Jobs.InvoiceJobs.class);
            jobs.cancelAll();
            assertThat(jobs.executions()).isZero();
        }
    }
}
