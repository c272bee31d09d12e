package dev.jobguard.spring;

import dev.jobguard.GuardPolicy;
import dev.jobguard.GuardedTask;
import dev.jobguard.JobGuard;
import dev.jobguard.RunReport;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.support.AopUtils;

/**
 * Runs a {@code @GuardedJob} method as one guarded run. What the caller (usually the scheduler) sees:
 *
 * <ul>
 *   <li>SUCCEEDED: the method's return value;
 *   <li>SKIPPED (disabled, switched off, locked elsewhere, state unreadable) and TRIPPED: {@code null} (an empty
 *       {@code Optional}, a {@code CompletableFuture} completed with {@code null}), returned normally: core has
 *       recorded and logged the run (a trip as one ERROR line), and the scheduler thread carries on;
 *   <li>FAILED: the job's own exception is rethrown, so the scheduler's error handler logs it as it did before the
 *       guard (and a direct caller sees it).
 * </ul>
 */
final class GuardedJobInterceptor implements MethodInterceptor {

    private static final Logger log = LoggerFactory.getLogger(GuardedJobInterceptor.class);

    private final Supplier<JobGuard> guard;
    private final Supplier<PolicyResolver> resolver;

    GuardedJobInterceptor(Supplier<JobGuard> guard, Supplier<PolicyResolver> resolver) {
        this.guard = guard;
        this.resolver = resolver;
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        Object target = invocation.getThis();
        Class<?> targetClass = target != null
                ? AopUtils.getTargetClass(target)
                : invocation.getMethod().getDeclaringClass();
        GuardPolicy policy = resolver.get().resolve(invocation.getMethod(), targetClass);
        Object[] result = new Object[1];
        GuardedTask task = () -> {
            try {
                result[0] = invocation.proceed();
            } catch (Exception | Error thrown) {
                throw thrown;
            } catch (Throwable other) {
                throw new IllegalStateException(other);
            }
        };
        GuardedJobRunner.Call runNow = GuardedJobRunner.Call.take(policy.jobName());
        RunReport report =
                runNow == null ? guard.get().run(policy, task) : guard.get().run(policy, runNow.request(), task);
        if (runNow != null) {
            runNow.report(report);
        }
        switch (report.outcome()) {
            case SUCCEEDED:
                return result[0];
            case FAILED:
                if (report.failure().isPresent()) {
                    throw report.failure().get();
                }
                log.error("jobguard: job '{}' run {} failed: {}", policy.jobName(), report.runId(), report.summary());
                return noValue(invocation.getMethod().getReturnType());
            default:
                log.debug("jobguard: job '{}' run {}: {}", policy.jobName(), report.runId(), report.outcome());
                return noValue(invocation.getMethod().getReturnType());
        }
    }

    /** What a run that produced no value returns: never a null Optional or future, which the caller would not expect. */
    static Object noValue(Class<?> returnType) {
        if (returnType == Optional.class) {
            return Optional.empty();
        }
        if (returnType.isAssignableFrom(CompletableFuture.class) && returnType != Object.class) {
            return CompletableFuture.completedFuture(null);
        }
        return null;
    }
}
