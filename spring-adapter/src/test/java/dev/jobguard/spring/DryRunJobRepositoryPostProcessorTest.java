package dev.jobguard.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import dev.jobguard.GuardMode;
import dev.jobguard.GuardPolicy;
import dev.jobguard.JobGuard;
import dev.jobguard.RunOutcome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A JobRepository bean answers a dry run's calls from an in-memory repository of that run, every other call (no run,
 * an enforcing or observing run) from itself; beans of other types are left alone.
 */
class DryRunJobRepositoryPostProcessorTest {

    private final DryRunJobRepositoryPostProcessor processor = new DryRunJobRepositoryPostProcessor();
    private final JobGuard guard = JobGuard.builder().build();

    @Test
    void aDryRunsCallsGoToAnInMemoryRepositoryOfItsOwnAndEveryOtherCallToTheBean() {
        JobRepository database = mock(JobRepository.class);
        when(database.getJobNames()).thenReturn(List.of("cancelOverdueInvoices"));
        JobRepository repository = (JobRepository) processor.postProcessAfterInitialization(database, "jobRepository");

        assertThat(repository.getJobNames()).containsExactly("cancelOverdueInvoices");

        List<List<String>> seen = new ArrayList<>();
        for (GuardMode mode : GuardMode.values()) {
            assertThat(guard.run(
                                    GuardPolicy.builder("batch-" + mode)
                                            .mode(mode)
                                            .build(),
                                    () -> seen.add(repository.getJobNames()))
                            .outcome())
                    .isEqualTo(RunOutcome.SUCCEEDED);
        }
        assertThat(seen)
                .containsExactly(
                        List.of("cancelOverdueInvoices"), // ENFORCE
                        List.of("cancelOverdueInvoices"), // OBSERVE
                        List.of()); // DRY_RUN: the in-memory repository knows no job
        verify(database, org.mockito.Mockito.times(3)).getJobNames();
    }

    @Test
    void aDryRunDoesNotReachTheBeanAtAll() {
        JobRepository database = mock(JobRepository.class);
        JobRepository repository = (JobRepository) processor.postProcessAfterInitialization(database, "jobRepository");

        guard.run(GuardPolicy.builder("batch-dry").mode(GuardMode.DRY_RUN).build(), repository::getJobNames);

        verifyNoInteractions(database);
    }

    @Test
    void otherBeansAndAnAlreadyRoutedRepositoryAreLeftAsTheyAre() {
        Object other = new Object();
        assertThat(processor.postProcessAfterInitialization(other, "other")).isSameAs(other);
        Object routed = processor.postProcessAfterInitialization(mock(JobRepository.class), "jobRepository");
        assertThat(processor.postProcessAfterInitialization(routed, "jobRepository"))
                .isSameAs(routed);
    }

    @Test
    void enableJobGuardRegistersItWhenSpringBatchIsPresent() {
        try (AnnotationConfigApplicationContext context =
                new AnnotationConfigApplicationContext(PlainSpringWithBatch.class)) {
            assertThat(context.getBeansOfType(DryRunJobRepositoryPostProcessor.class))
                    .hasSize(1);
            assertThat(context.getBean(JobRepository.class))
                    .isInstanceOf(org.springframework.aop.framework.Advised.class);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableJobGuard
    static class PlainSpringWithBatch {
        @Bean
        JobRepository jobRepository() {
            return mock(JobRepository.class);
        }
    }
}
