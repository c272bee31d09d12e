package dev.jobguard.spring;

import dev.jobguard.GuardPolicy;
import dev.jobguard.annotation.GuardedJob;
import dev.jobguard.anomaly.AnomalyPolicy;
import dev.jobguard.internal.config.JobProperties;
import dev.jobguard.internal.config.PolicyOverrides;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

/**
 * Turns a {@code @GuardedJob} method into its policy: the annotation, then {@code jobguard.jobs.<name>.*} (the
 * operator's override from the state store applies at run time, in core). Policies are cached per method; every
 * configured job is validated when the resolver is built, so a bad property fails the application's start.
 */
final class PolicyResolver {

    private final Map<String, JobProperties> jobs;
    private final Map<MethodKey, GuardPolicy> policies = new ConcurrentHashMap<>();
    private final Map<String, String> jobMethods = new ConcurrentHashMap<>();
    private final Map<String, List<JobBean>> jobBeans = new ConcurrentHashMap<>();

    PolicyResolver(Map<String, JobProperties> jobs) {
        this.jobs = Map.copyOf(jobs == null ? Map.of() : jobs);
        this.jobs.forEach((name, properties) -> {
            if (properties == null) {
                return;
            }
            try {
                PolicyOverrides.apply(permissiveBase(name), properties);
            } catch (IllegalArgumentException invalid) {
                throw new IllegalStateException(invalid.getMessage(), invalid);
            }
        });
    }

    /**
     * The base the properties are checked on before the annotations are known: one that no property can conflict
     * with (journal on, a max duration, the widest anomaly history), so only a value, or properties that conflict
     * among themselves, fail here; a conflict with the annotation fails when the job's method is resolved.
     */
    private static GuardPolicy permissiveBase(String name) {
        return GuardPolicy.builder(name)
                .journal(true)
                .maxDuration(Duration.ofDays(1))
                .anomaly(AnomalyPolicy.builder()
                        .history(Integer.MAX_VALUE)
                        .minRuns(1)
                        .build())
                .build();
    }

    /** The policy of a guarded method called on an instance of the target class. */
    GuardPolicy resolve(Method method, Class<?> targetClass) {
        Class<?> userClass = ClassUtils.getUserClass(targetClass != null ? targetClass : method.getDeclaringClass());
        Method specific = AopUtils.getMostSpecificMethod(method, userClass);
        return policies.computeIfAbsent(new MethodKey(specific, userClass), key -> build(key.method(), key.type()));
    }

    /** The names of the guarded jobs seen so far (every one in the context once it has started). */
    Set<String> knownJobs() {
        Set<String> names = new TreeSet<>(jobMethods.keySet());
        return Collections.unmodifiableSet(names);
    }

    /**
     * Records that a bean's method is the job (done for every {@code @GuardedJob} method of every bean once the
     * context has started), for run now.
     */
    void bean(String job, String beanName, Method method, Class<?> type) {
        List<JobBean> beans = jobBeans.computeIfAbsent(job, name -> new CopyOnWriteArrayList<>());
        if (beans.stream().noneMatch(known -> known.beanName().equals(beanName))) {
            beans.add(new JobBean(beanName, method, type));
        }
    }

    /** The beans whose method is the job: one, normally; none when no bean of this application defines it. */
    List<JobBean> beans(String job) {
        return List.copyOf(jobBeans.getOrDefault(job, List.of()));
    }

    /** A bean's {@code @GuardedJob} method. */
    record JobBean(String beanName, Method method, Class<?> type) {}

    /** The configured settings of every job under {@code jobguard.jobs}. */
    Map<String, JobProperties> configuredJobs() {
        return jobs;
    }

    private GuardPolicy build(Method method, Class<?> type) {
        GuardedJob annotation = AnnotatedElementUtils.findMergedAnnotation(method, GuardedJob.class);
        if (annotation == null) {
            throw new IllegalStateException("jobguard: " + describe(method, type) + " is not annotated @GuardedJob");
        }
        GuardPolicy policy;
        try {
            GuardPolicy annotated = GuardPolicy.from(annotation, defaultName(type, method));
            policy = PolicyOverrides.apply(annotated, jobs.get(annotated.jobName()));
        } catch (IllegalArgumentException invalid) {
            // no cause: this message is complete, and a failed start shows the innermost cause last
            throw new IllegalStateException(invalid.getMessage() + " (on " + describe(method, type) + ")");
        }
        String where = describe(method, type);
        String previous = jobMethods.putIfAbsent(policy.jobName(), where);
        if (previous != null && !previous.equals(where)) {
            throw new IllegalStateException("jobguard: job name '" + policy.jobName() + "' is used by both " + previous
                    + " and " + where + ": give each @GuardedJob its own name");
        }
        return policy;
    }

    /** The name of a job whose annotation has none: class and method in kebab case, e.g. invoice-jobs-cancel. */
    static String defaultName(Class<?> type, Method method) {
        return kebab(type.getSimpleName()) + "-" + kebab(method.getName());
    }

    static String describe(Method method, Class<?> type) {
        return type.getName() + "." + method.getName() + "()";
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2")
                .replace('_', '-')
                .replace('$', '-')
                .toLowerCase(Locale.ROOT);
    }

    private record MethodKey(Method method, Class<?> type) {
        MethodKey {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(type, "type");
        }
    }
}
