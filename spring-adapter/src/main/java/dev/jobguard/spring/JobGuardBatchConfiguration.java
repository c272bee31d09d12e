package dev.jobguard.spring;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ClassUtils;

/**
 * Spring Batch support, registered by the auto-configuration and by {@link EnableJobGuard} when Spring Batch is on the
 * class path: a dry run keeps Batch's job repository in memory ({@link DryRunJobRepositoryPostProcessor}).
 */
@Configuration(proxyBeanMethods = false)
@Conditional(JobGuardBatchConfiguration.OnSpringBatch.class)
class JobGuardBatchConfiguration {

    static final String JOB_REPOSITORY = "org.springframework.batch.core.repository.JobRepository";
    static final String RESOURCELESS_JOB_REPOSITORY =
            "org.springframework.batch.core.repository.support.ResourcelessJobRepository";

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static DryRunJobRepositoryPostProcessor jobGuardBatchDryRunPostProcessor() {
        return new DryRunJobRepositoryPostProcessor();
    }

    /** Spring Batch 5.2 or later (its in-memory ResourcelessJobRepository) is on the class path. */
    static final class OnSpringBatch implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            ClassLoader loader = context.getClassLoader();
            return ClassUtils.isPresent(JOB_REPOSITORY, loader)
                    && ClassUtils.isPresent(RESOURCELESS_JOB_REPOSITORY, loader);
        }
    }
}
