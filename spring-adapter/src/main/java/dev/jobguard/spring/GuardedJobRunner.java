package dev.jobguard.spring;

import dev.jobguard.RunReport;
import dev.jobguard.RunRequest;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.scheduling.annotation.Async;

/**
 * Runs a {@code @GuardedJob} method once now, outside its schedule ("run now"), on this node: through its bean, the
 * Spring proxy, so the guard's advisor runs it as it does a scheduled call (the same state checks and lock; a disabled
 * job is SKIPPED), never reflectively on the target. The call runs on a thread of the runner's own, so a caller (the
 * actuator endpoint) waits at most {@link #timeout()} ({@code jobguard.run-now.timeout}) and can answer with the run's
 * id, given out before the run starts, when it takes longer.
 */
public final class GuardedJobRunner implements DisposableBean {

    /** The default of {@code jobguard.run-now.timeout}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final PolicyResolver resolver;
    private final BeanFactory beanFactory;
    private final Duration timeout;
    private final ExecutorService executor = Executors.newCachedThreadPool(new RunNowThreads());
    /** The run id of each job run now on this node and not yet ended. */
    private final Map<String, String> running = new ConcurrentHashMap<>();

    GuardedJobRunner(PolicyResolver resolver, BeanFactory beanFactory, Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("jobguard: invalid jobguard.run-now.timeout=" + timeout + ": use a"
                    + " duration of zero (answer at once with the run's id) or more, e.g. 30s (default "
                    + DEFAULT_TIMEOUT.toSeconds() + "s)");
        }
        this.resolver = resolver;
        this.beanFactory = beanFactory;
        this.timeout = timeout;
    }

    /** How long a caller waits for the run's report before it answers with the run's id instead. */
    public Duration timeout() {
        return timeout;
    }

    /**
     * Starts the job's method through its bean on the runner's thread.
     *
     * @return the run's report once it has ended (a FAILED run's report carries the job's exception)
     * @throws Refused when the job is not a {@code @GuardedJob} method of a bean on this node, cannot be run now (it
     *     takes parameters, is {@code @Async}, is the method of several beans), or is being run now already
     */
    public CompletableFuture<RunReport> start(String job, RunRequest request) {
        Objects.requireNonNull(request, "request");
        JobMethod target = target(job);
        String other = running.putIfAbsent(job, request.runId());
        if (other != null) {
            throw new Refused(
                    Refused.Reason.ALREADY_RUNNING,
                    "jobguard: job '" + job + "' is being run now on this node already (run " + other
                            + "): wait for it to end; GET /actuator/jobguard/" + job + " shows its record");
        }
        try {
            return CompletableFuture.supplyAsync(() -> call(target, job, request), executor)
                    .whenComplete((report, failure) -> running.remove(job, request.runId()));
        } catch (RuntimeException rejected) {
            running.remove(job, request.runId());
            throw rejected;
        }
    }

    private RunReport call(JobMethod target, String job, RunRequest request) {
        Call call = new Call(job, request);
        Call.CURRENT.set(call);
        try {
            target.method().invoke(target.bean());
        } catch (InvocationTargetException failed) {
            if (call.report == null) {
                throw new IllegalStateException(
                        "jobguard: job '" + job + "' failed before its guarded run started: " + failed.getCause(),
                        failed.getCause());
            }
        } catch (IllegalAccessException inaccessible) {
            throw new IllegalStateException("jobguard: job '" + job + "' could not be called: " + inaccessible);
        } finally {
            Call.CURRENT.remove();
        }
        if (call.report == null) {
            throw new IllegalStateException("jobguard: job '" + job + "' returned without a guarded run on the calling"
                    + " thread (its bean's proxy did not guard it): nothing was recorded");
        }
        return call.report;
    }

    /** The job's bean (its proxy) and the method to call on it, or why it cannot be run now. */
    private JobMethod target(String job) {
        List<PolicyResolver.JobBean> beans = resolver.beans(job);
        if (beans.isEmpty()) {
            throw new Refused(
                    Refused.Reason.NOT_HERE,
                    "jobguard: job '" + job + "' is not a @GuardedJob method of a bean in this application, so it"
                            + " cannot be run now from here: run it on a node that defines it (a Quartz job: with"
                            + " JobGuardQuartz.runNow)");
        }
        if (beans.size() > 1) {
            throw new Refused(
                    Refused.Reason.NOT_RUNNABLE,
                    "jobguard: job '" + job + "' is the method of " + beans.size() + " beans "
                            + beans.stream()
                                    .map(PolicyResolver.JobBean::beanName)
                                    .toList()
                            + ", so run now cannot choose one: give each @GuardedJob its own name");
        }
        PolicyResolver.JobBean only = beans.get(0);
        Method method = only.method();
        if (method.getParameterCount() > 0) {
            throw new Refused(
                    Refused.Reason.NOT_RUNNABLE,
                    "jobguard: job '" + job + "' (" + PolicyResolver.describe(method, only.type()) + ") takes "
                            + method.getParameterCount() + " parameter(s), so it cannot be run now: run now calls"
                            + " @GuardedJob methods without parameters, as a scheduler does");
        }
        if (AnnotatedElementUtils.hasAnnotation(method, Async.class)
                || AnnotatedElementUtils.hasAnnotation(only.type(), Async.class)) {
            throw new Refused(
                    Refused.Reason.NOT_RUNNABLE,
                    "jobguard: job '" + job + "' (" + PolicyResolver.describe(method, only.type()) + ") is @Async:"
                            + " its guarded run would start on another thread, outside the run-now request, so it"
                            + " cannot be run now");
        }
        Object bean = beanFactory.getBean(only.beanName());
        if (!guarded(bean)) {
            throw new Refused(
                    Refused.Reason.NOT_RUNNABLE,
                    "jobguard: job '" + job + "': bean '" + only.beanName() + "' is not advised by jobguard, so run"
                            + " now would call it unguarded; it was not run");
        }
        return new JobMethod(bean, AopUtils.selectInvocableMethod(method, bean.getClass()));
    }

    private static boolean guarded(Object bean) {
        return bean instanceof Advised advised
                && Arrays.stream(advised.getAdvisors()).anyMatch(GuardedJobAdvisor.class::isInstance);
    }

    /** Stops the runner's threads; runs under way are interrupted. */
    @Override
    public void destroy() {
        executor.shutdownNow();
    }

    private record JobMethod(Object bean, Method method) {}

    /**
     * The run-now request of the job called on this thread, taken by {@link GuardedJobInterceptor} for that job's
     * guarded run, which leaves its report here.
     */
    static final class Call {
        private static final ThreadLocal<Call> CURRENT = new ThreadLocal<>();

        private final String job;
        private final RunRequest request;
        private boolean taken;
        private RunReport report;

        private Call(String job, RunRequest request) {
            this.job = job;
            this.request = request;
        }

        /** The request for this job's run on this thread, once: null for any other call. */
        static Call take(String job) {
            Call call = CURRENT.get();
            if (call == null || call.taken || !call.job.equals(job)) {
                return null;
            }
            call.taken = true;
            return call;
        }

        RunRequest request() {
            return request;
        }

        void report(RunReport report) {
            this.report = report;
        }
    }

    /** Why a job cannot be run now. */
    public static final class Refused extends RuntimeException {

        private static final long serialVersionUID = 1L;

        /** The kinds of refusal, for an answer's status. */
        public enum Reason {
            /** Not a {@code @GuardedJob} method of a bean on this node (HTTP 404). */
            NOT_HERE,
            /** The method cannot be called as a run now (HTTP 400). */
            NOT_RUNNABLE,
            /** A run now of the job is under way on this node (HTTP 409). */
            ALREADY_RUNNING
        }

        private final Reason reason;

        Refused(Reason reason, String message) {
            super(message);
            this.reason = reason;
        }

        public Reason reason() {
            return reason;
        }
    }

    private static final class RunNowThreads implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "jobguard-run-now-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
