package dev.jobguard.spring;

import dev.jobguard.GuardPolicy;
import dev.jobguard.annotation.GuardedJob;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.ReactiveAdapter;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * When the context has started, resolves the policy of every {@code @GuardedJob} method of every bean, so an invalid
 * annotation or property fails the application's start with a message naming the job and the property, and refuses
 * methods the advisor cannot reach (private, final, static: they would run unguarded), that return a primitive, or
 * whose work would run after the guarded run has ended (a reactive return type, a Kotlin {@code suspend} function),
 * and {@code @GuardedJob} on a bean's class, which Spring does not apply.
 */
final class GuardedJobValidator implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(GuardedJobValidator.class);

    private final ListableBeanFactory beanFactory;
    private final PolicyResolver resolver;

    GuardedJobValidator(ListableBeanFactory beanFactory, PolicyResolver resolver) {
        this.beanFactory = beanFactory;
        this.resolver = resolver;
    }

    @Override
    public void afterSingletonsInstantiated() {
        for (String name : beanFactory.getBeanDefinitionNames()) {
            Class<?> type;
            try {
                type = beanFactory.getType(name, false);
            } catch (RuntimeException unknown) {
                continue;
            }
            if (type == null) {
                continue;
            }
            Class<?> userClass = ClassUtils.getUserClass(type);
            checkType(userClass);
            ReflectionUtils.doWithMethods(
                    userClass,
                    method -> resolver.bean(check(method, userClass).jobName(), name, method, userClass),
                    method -> AnnotatedElementUtils.hasAnnotation(method, GuardedJob.class));
        }
        Set<String> known = resolver.knownJobs();
        for (String configured : resolver.configuredJobs().keySet()) {
            if (!known.contains(configured)) {
                log.warn(
                        "jobguard: jobguard.jobs.{} matches no @GuardedJob method in this application (known jobs: {})",
                        configured,
                        known);
            }
        }
    }

    /**
     * Refuses {@code @GuardedJob} on a bean's class (or a type it extends): Spring guards annotated methods only, so
     * the class's methods would run unguarded. Quartz job classes are left to the Quartz adapter.
     */
    private static void checkType(Class<?> type) {
        if (AnnotatedElementUtils.hasAnnotation(type, GuardedJob.class) && !isQuartzJob(type)) {
            throw new IllegalStateException("jobguard: @GuardedJob on class " + type.getName() + " is not applied by"
                    + " Spring, so its methods would run unguarded; annotate each job method with @GuardedJob instead");
        }
    }

    private static boolean isQuartzJob(Class<?> type) {
        for (Class<?> implemented : ClassUtils.getAllInterfacesForClassAsSet(type)) {
            if (implemented.getName().equals("org.quartz.Job")) {
                return true;
            }
        }
        return false;
    }

    /** Names the Kotlin cause of a final method or class: Kotlin declarations are final unless opened. */
    static final String KOTLIN_HINT = " (in Kotlin, classes and functions are final by default: apply the kotlin-spring"
            + " compiler plugin, which opens Spring beans, or declare the class and the function open)";

    /** A Kotlin {@code suspend} function: its last parameter is the compiler's continuation. */
    private static boolean isSuspending(Method method) {
        Class<?>[] parameters = method.getParameterTypes();
        return parameters.length > 0
                && parameters[parameters.length - 1].getName().equals("kotlin.coroutines.Continuation");
    }

    /**
     * A type whose work is deferred until subscribed: what Spring's scheduler (6.1+) subscribes to after the method
     * returns, such as a {@code Publisher}, {@code Mono}, {@code Flux} or Kotlin {@code Flow}. Futures are not
     * deferred (an {@code @Async} job returning one runs guarded on the executor's thread).
     */
    private static boolean isReactive(Class<?> returned) {
        ReactiveAdapter adapter = ReactiveAdapterRegistry.getSharedInstance().getAdapter(returned);
        if (adapter != null) {
            return adapter.getDescriptor().isDeferred();
        }
        for (Class<?> implemented : ClassUtils.getAllInterfacesForClassAsSet(returned)) {
            if (implemented.getName().equals("org.reactivestreams.Publisher")) {
                return true;
            }
        }
        return false;
    }

    private GuardPolicy check(Method method, Class<?> type) {
        int modifiers = method.getModifiers();
        if (Modifier.isPrivate(modifiers) || Modifier.isFinal(modifiers) || Modifier.isStatic(modifiers)) {
            throw new IllegalStateException("jobguard: @GuardedJob on " + PolicyResolver.describe(method, type)
                    + " cannot be guarded: the method is private, final or static, so Spring's proxy cannot advise it"
                    + " and it would run unguarded; make it a public instance method" + KOTLIN_HINT);
        }
        if (isSuspending(method)) {
            throw new IllegalStateException("jobguard: @GuardedJob on " + PolicyResolver.describe(method, type)
                    + " is a Kotlin suspend function: its work would run in a coroutine after the guarded run has"
                    + " ended, unguarded; make it a regular function that does its work before it returns (for"
                    + " example with runBlocking) and guard that");
        }
        Class<?> returned = method.getReturnType();
        if (isReactive(returned)) {
            throw new IllegalStateException("jobguard: @GuardedJob on " + PolicyResolver.describe(method, type)
                    + " returns " + returned.getName() + ": a reactive job does its work when the result is"
                    + " subscribed, after the guarded run has ended, so it would run unguarded; make the method"
                    + " return void and do the work before it returns (for example block() on the publisher)");
        }
        if (returned.isPrimitive() && returned != void.class) {
            throw new IllegalStateException("jobguard: @GuardedJob on " + PolicyResolver.describe(method, type)
                    + " returns " + returned.getName() + ": a skipped or tripped run has no value to return; make the"
                    + " method return void or an object");
        }
        return resolver.resolve(method, type);
    }
}
