package dev.jobguard.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobguard.RunOutcome;
import dev.jobguard.observation.RunObservationContext;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The auto-configured guard reports each run of a guarded bean method to the application's ObservationRegistry. */
class JobGuardObservationAutoConfigurationTest {

    private final ApplicationContextRunner withJobs = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(JobGuardAutoConfiguration.class))
            .withPropertyValues("jobguard.node-name=test-node")
            .withUserConfiguration(
                    H2Jobs.DataSourceConfig.class, H2Jobs.TransactionConfig.class, H2Jobs.JobsConfig.class);

    @Test
    void eachRunOfAGuardedMethodIsAJobguardRunObservationOfTheApplicationsRegistry() {
        withJobs.withUserConfiguration(Observations.class).run(context -> {
            H2Jobs.InvoiceJobs jobs = context.getBean(H2Jobs.InvoiceJobs.class);
            Stopped stopped = context.getBean(Stopped.class);

            jobs.cancelAll(); // trips: 10 rows over a limit of 5
            jobs.cancelAll(); // skipped: the trip disabled the job

            assertThat(stopped.contexts()).hasSize(2);
            assertThat(stopped.contexts()).allSatisfy(run -> {
                assertThat(run.getName()).isEqualTo("jobguard.run");
                assertThat(run.getLowCardinalityKeyValue("job").getValue()).isEqualTo("cancel-overdue-invoices");
            });
            assertThat(stopped.contexts().stream()
                            .map(run -> run.getLowCardinalityKeyValue("outcome"))
                            .map(KeyValue::getValue))
                    .containsExactly(RunOutcome.TRIPPED.name(), RunOutcome.SKIPPED.name());
            assertThat(stopped.contexts()
                            .get(0)
                            .getHighCardinalityKeyValue("run.id")
                            .getValue())
                    .isEqualTo(((RunObservationContext) stopped.contexts().get(0))
                            .report()
                            .orElseThrow()
                            .runId());
        });
    }

    @Test
    void withoutAnObservationRegistryBeanTheGuardRunsUnobserved() {
        withJobs.run(context -> {
            context.getBean(H2Jobs.InvoiceJobs.class).cancelAll();
            assertThat(context).hasNotFailed();
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class Observations {
        @Bean
        Stopped stopped() {
            return new Stopped();
        }

        @Bean
        ObservationRegistry observationRegistry(Stopped stopped) {
            ObservationRegistry registry = ObservationRegistry.create();
            registry.observationConfig().observationHandler(stopped);
            return registry;
        }
    }

    /** Records every observation context that stopped. */
    static class Stopped implements ObservationHandler<Observation.Context> {
        private final List<Observation.Context> contexts = new CopyOnWriteArrayList<>();

        @Override
        public void onStop(Observation.Context context) {
            contexts.add(context);
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return true;
        }

        List<Observation.Context> contexts() {
            return contexts;
        }
    }
}
