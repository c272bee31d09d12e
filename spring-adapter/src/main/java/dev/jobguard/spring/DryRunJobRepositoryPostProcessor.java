package dev.jobguard.spring;

import dev.jobguard.internal.run.RunContext;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.Advisor;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.repository.support.ResourcelessJobRepository;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.util.ClassUtils;

/**
 * Spring Batch in a dry run: every {@link JobRepository} bean answers the calls made inside a dry run from an in-memory
 * repository of that run (Batch's own {@link ResourcelessJobRepository}), and all other calls from the bean itself.
 *
 * <p>Why: a dry run keeps the job's writes in transactions that only the guard ends, and rolls them back. Batch's
 * bookkeeping on the same DataSource cannot follow: its job instance and execution are written and committed in
 * transactions of their own before the first chunk, its later updates land in the run's connection and are rolled
 * back, and a reader that holds a connection across chunks (a cursor) keeps the chunks on another one. The run would
 * leave an execution STARTED in {@code BATCH_*} forever (a relaunch then fails with
 * {@code JobExecutionAlreadyRunningException}), or wait on its own uncommitted rows. Kept in memory, a dry run leaves
 * {@code BATCH_*} as it was. What a dry run does not see is the job's earlier executions: it runs the job as a first
 * launch would (all steps, from their first item), not as a restart of a failed execution.
 */
final class DryRunJobRepositoryPostProcessor implements BeanPostProcessor {

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!(bean instanceof JobRepository) || isOurs(bean)) {
            return bean;
        }
        ProxyFactory factory = new ProxyFactory();
        factory.setTarget(bean);
        factory.addInterface(JobRepository.class);
        factory.addAdvice(new DryRunRouting());
        return factory.getProxy(ClassUtils.getDefaultClassLoader());
    }

    private static boolean isOurs(Object bean) {
        if (bean instanceof Advised advised) {
            for (Advisor advisor : advised.getAdvisors()) {
                if (advisor.getAdvice() instanceof DryRunRouting) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Routes a call to the dry run's in-memory repository when the calling thread is in a dry run. */
    static final class DryRunRouting implements MethodInterceptor {

        /** One in-memory repository per dry run, dropped with the run. */
        private final Map<RunContext, JobRepository> dryRuns = Collections.synchronizedMap(new WeakHashMap<>());

        @Override
        public Object invoke(MethodInvocation invocation) throws Throwable {
            RunContext run = RunContext.current();
            if (run == null || !run.isDryRun() || run.isFinished()) {
                return invocation.proceed();
            }
            JobRepository inMemory = dryRuns.computeIfAbsent(run, started -> new ResourcelessJobRepository());
            return AopUtils.invokeJoinpointUsingReflection(inMemory, invocation.getMethod(), invocation.getArguments());
        }
    }
}
