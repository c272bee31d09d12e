package dev.jobguard.spring;

import dev.jobguard.annotation.GuardedJob;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.aopalliance.aop.Advice;
import org.springframework.aop.MethodMatcher;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;

/**
 * Advises every method annotated {@code @GuardedJob} (on the class or an interface it implements), the way ShedLock
 * advises {@code @SchedulerLock}: no AspectJ weaving. Ordered before the transaction advisor, so a
 * {@code @Transactional} job's transaction (its connection and its commit) runs inside the guarded run.
 */
final class GuardedJobAdvisor extends AbstractPointcutAdvisor {

    private static final long serialVersionUID = 1L;

    private final transient Pointcut pointcut = new GuardedJobPointcut();
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

    /**
     * Matches {@code @GuardedJob} methods, and refuses one on a final class: Spring's class proxy cannot subclass it,
     * so its start would fail with a proxy error that does not say why (a Kotlin class without the kotlin-spring
     * plugin).
     */
    private static final class GuardedJobPointcut extends StaticMethodMatcherPointcut {

        private final MethodMatcher annotated =
                new AnnotationMatchingPointcut(null, GuardedJob.class, true).getMethodMatcher();

        @Override
        public boolean matches(Method method, Class<?> targetClass) {
            if (!annotated.matches(method, targetClass)) {
                return false;
            }
            if (Modifier.isFinal(targetClass.getModifiers())) {
                throw new IllegalStateException("jobguard: @GuardedJob on "
                        + PolicyResolver.describe(method, targetClass)
                        + " cannot be guarded: class " + targetClass.getName() + " is final, so Spring's proxy cannot"
                        + " subclass it and the job would run unguarded; make the class non-final"
                        + GuardedJobValidator.KOTLIN_HINT);
            }
            return true;
        }
    }
}
