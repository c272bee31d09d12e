package dev.jobguard.spring;

import dev.jobguard.annotation.GuardedJob;
import org.aopalliance.aop.Advice;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;

/**
 * Advises every method annotated {@code @GuardedJob} (on the class or an interface it implements), the way ShedLock
 * advises {@code @SchedulerLock}: no AspectJ weaving. Ordered before the transaction advisor, so a
 * {@code @Transactional} job's transaction (its connection and its commit) runs inside the guarded run.
 */
final class GuardedJobAdvisor extends AbstractPointcutAdvisor {

    private static final long serialVersionUID = 1L;

    private final transient Pointcut pointcut = new AnnotationMatchingPointcut(null, GuardedJob.class, true);
    private final transient Advice advice;

    GuardedJobAdvisor(GuardedJobInterceptor interceptor, int order) {
        this.advice = interceptor;
        setOrder(order);
    }

    @Override
    public Pointcut getPointcut() {
        return pointcut;
    }

    @Override
    public Advice getAdvice() {
        return advice;
    }
}
