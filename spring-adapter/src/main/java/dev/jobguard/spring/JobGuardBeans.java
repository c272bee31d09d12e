package dev.jobguard.spring;

import dev.jobguard.JobGuard;
import dev.jobguard.jdbc.GuardedDataSource;
import dev.jobguard.journal.ChangeJournal;
import dev.jobguard.notify.TripListener;
import dev.jobguard.observation.RunObservationConvention;
import dev.jobguard.state.InMemoryStateStore;
import dev.jobguard.state.JdbcStateStore;
import dev.jobguard.state.StateStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import javax.sql.DataSource;
import net.javacrumbs.shedlock.core.LockProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.util.ClassUtils;

/** The beans both {@code @EnableJobGuard} and the Boot auto-configuration register, built one way. */
final class JobGuardBeans {

    private static final Logger log = LoggerFactory.getLogger(JobGuardBeans.class);

    static final String SHEDLOCK_LOCK_PROVIDER = "net.javacrumbs.shedlock.core.LockProvider";

    private JobGuardBeans() {}

    /** The bound {@code jobguard.*} properties (Boot), or the few read from the Environment (plain Spring). */
    static JobGuardProperties properties(ObjectProvider<JobGuardProperties> bound, Environment environment) {
        return bound.getIfAvailable(() -> fromEnvironment(environment));
    }

    static JobGuardProperties fromEnvironment(Environment environment) {
        JobGuardProperties properties = new JobGuardProperties();
        properties.setEnabled(environment.getProperty("jobguard.enabled", Boolean.class, true));
        properties.setNodeName(environment.getProperty("jobguard.node-name"));
        properties.setAdvisorOrder(environment.getProperty(
                "jobguard.advisor-order", Integer.class, JobGuardProperties.DEFAULT_ADVISOR_ORDER));
        properties.setUseLockProvider(environment.getProperty("jobguard.use-lock-provider", Boolean.class, true));
        properties.getDatasource().setWrap(environment.getProperty("jobguard.datasource.wrap", Boolean.class, true));
        String[] excluded = environment.getProperty("jobguard.datasource.exclude", String[].class, new String[0]);
        properties.getDatasource().setExclude(new LinkedHashSet<>(Arrays.asList(excluded)));
        String[] ignoredTables = environment.getProperty("jobguard.ignored-tables", String[].class, new String[0]);
        properties.setIgnoredTables(new ArrayList<>(Arrays.asList(ignoredTables)));
        List<String> ignored = ignoredWithoutBoot(environment);
        if (!ignored.isEmpty()) {
            log.warn(
                    "jobguard: without Spring Boot only {} are read from the environment; ignored: {}. Set these in"
                            + " code (GuardPolicy/@GuardedJob, a StateStore or ChangeJournal bean) or use Spring Boot,"
                            + " whose auto-configuration binds every jobguard.* property",
                    PLAIN_SPRING_KEYS,
                    ignored);
        }
        return properties;
    }

    /** Applies a duration property to the builder, failing the start with the property's name when it is invalid. */
    private static void durationSetting(String property, Duration value, Consumer<Duration> setter) {
        try {
            setter.accept(value);
        } catch (IllegalArgumentException invalid) {
            throw new IllegalArgumentException("jobguard: invalid " + property + "=" + value + ": "
                    + String.valueOf(invalid.getMessage()).replaceFirst("^jobguard: ", ""));
        }
    }

    /** A retention: zero keeps everything (the setter is not called). */
    private static void retentionSetting(String property, Duration value, Consumer<Duration> setter) {
        if (value != null && value.isZero()) {
            return;
        }
        durationSetting(property, value, setter);
    }

    /** The jobguard.* properties {@link #fromEnvironment} reads. */
    static final List<String> PLAIN_SPRING_KEYS = List.of(
            "jobguard.enabled",
            "jobguard.node-name",
            "jobguard.advisor-order",
            "jobguard.use-lock-provider",
            "jobguard.datasource.wrap",
            "jobguard.datasource.exclude",
            "jobguard.ignored-tables");

    /** The jobguard.* properties set in the environment that plain Spring (no Boot binding) does not read. */
    static List<String> ignoredWithoutBoot(Environment environment) {
        if (!(environment instanceof ConfigurableEnvironment configurable)) {
            return List.of();
        }
        Set<String> ignored = new TreeSet<>();
        for (PropertySource<?> source : configurable.getPropertySources()) {
            if (source instanceof EnumerablePropertySource<?> enumerable) {
                for (String name : enumerable.getPropertyNames()) {
                    if (name.startsWith("jobguard.") && !PLAIN_SPRING_KEYS.contains(name)) {
                        ignored.add(name);
                    }
                }
            }
        }
        return List.copyOf(ignored);
    }

    static GuardedDataSourcePostProcessor dataSourcePostProcessor(JobGuardProperties properties) {
        return new GuardedDataSourcePostProcessor(
                properties.getDatasource().isWrap(), properties.getDatasource().getExclude());
    }

    /**
     * A JdbcStateStore on the application's (primary) DataSource, or on the only one jobguard wraps when others are
     * excluded; unwrapped. In memory when there is none.
     */
    static StateStore stateStore(ObjectProvider<DataSource> dataSources, JobGuardProperties properties) {
        DataSource dataSource = dataSources.getIfUnique();
        if (dataSource == null) {
            List<DataSource> guarded = dataSources.stream()
                    .filter(GuardedDataSource.class::isInstance)
                    .toList();
            dataSource = guarded.size() == 1 ? guarded.get(0) : null;
        }
        if (dataSource == null) {
            log.warn("jobguard: no single DataSource bean for the state store: job states and runs are kept in memory,"
                    + " on this node only; define a StateStore bean or a (primary) DataSource");
            return new InMemoryStateStore();
        }
        DataSource raw = dataSource instanceof GuardedDataSource guarded ? guarded.getTargetDataSource() : dataSource;
        JobGuardProperties.StateStore settings = properties.getStateStore();
        JdbcStateStore.Builder builder = JdbcStateStore.builder(raw).autoCreateTables(settings.isAutoCreateTables());
        // no causes below: each message says everything, and the start failure shows the innermost one
        try {
            builder.tablePrefix(settings.getTablePrefix());
        } catch (IllegalArgumentException | NullPointerException invalid) {
            throw new IllegalArgumentException("jobguard: invalid jobguard.state-store.table-prefix ('"
                    + settings.getTablePrefix() + "'): use letters, digits and underscores,"
                    + " starting with a letter or underscore, at most 40 characters (default jobguard_)");
        }
        try {
            builder.queryTimeout(settings.getQueryTimeout());
        } catch (IllegalArgumentException | NullPointerException invalid) {
            throw new IllegalArgumentException("jobguard: invalid jobguard.state-store.query-timeout ('"
                    + settings.getQueryTimeout() + "'): use a duration of zero (no limit) or more, e.g. 30s (default "
                    + JdbcStateStore.DEFAULT_QUERY_TIMEOUT.toSeconds() + "s)");
        }
        return builder.build();
    }

    static JobGuard jobGuard(
            JobGuardProperties properties,
            StateStore stateStore,
            ObjectProvider<MeterRegistry> meterRegistry,
            ObjectProvider<TripListener> listeners,
            ConfigurableListableBeanFactory beanFactory) {
        JobGuard.Builder builder = JobGuard.builder().stateStore(stateStore).enabled(properties.isEnabled());
        if (properties.getNodeName() != null && !properties.getNodeName().isBlank()) {
            builder.nodeName(properties.getNodeName());
        }
        meterRegistry.ifUnique(builder::meterRegistry);
        // a jobguard.run observation per run (a span with tracing), when the application has a registry
        beanFactory.getBeanProvider(ObservationRegistry.class).ifUnique(builder::observationRegistry);
        beanFactory.getBeanProvider(RunObservationConvention.class).ifUnique(builder::observationConvention);
        try {
            builder.ignoredTables(properties.getIgnoredTables());
        } catch (IllegalArgumentException | NullPointerException invalid) {
            // no cause: the message says everything, and the start failure shows the innermost one
            String why = invalid.getMessage() == null
                    ? "a pattern is missing: use a table name, or a prefix followed by '*' (e.g. audit_*)"
                    : invalid.getMessage().replaceFirst("^jobguard: ", "");
            throw new IllegalArgumentException(
                    "jobguard: invalid jobguard.ignored-tables " + properties.getIgnoredTables() + ": " + why
                            + ". These patterns are added to the defaults " + JobGuard.DEFAULT_IGNORED_TABLES);
        }
        durationSetting("jobguard.abandon-after", properties.getAbandonAfter(), builder::abandonAfter);
        durationSetting(
                "jobguard.sandbox-lock-timeout", properties.getSandboxLockTimeout(), builder::sandboxLockTimeout);
        retentionSetting(
                "jobguard.state-store.retention", properties.getStateStore().getRetention(), builder::retention);
        retentionSetting(
                "jobguard.journal.retention", properties.getJournal().getRetention(), builder::journalRetention);
        listeners.orderedStream().forEach(builder::listeners);
        builder.changeJournal(changeJournal(properties, stateStore, beanFactory));
        if (properties.isUseLockProvider()
                && ClassUtils.isPresent(SHEDLOCK_LOCK_PROVIDER, JobGuardBeans.class.getClassLoader())) {
            ShedLock.apply(builder, beanFactory);
        }
        if (!properties.isEnabled()) {
            log.warn("jobguard: jobguard.enabled=false: every guarded job is skipped on this node");
        }
        return builder.build();
    }

    /** A ChangeJournal bean, or the journal in the JDBC state store's database with the configured exclusions. */
    private static ChangeJournal changeJournal(
            JobGuardProperties properties, StateStore stateStore, ConfigurableListableBeanFactory beanFactory) {
        ChangeJournal bean = beanFactory.getBeanProvider(ChangeJournal.class).getIfUnique();
        Set<String> excluded = properties.getJournal().getExcludeColumns();
        if (bean != null) {
            if (!excluded.isEmpty()) {
                log.warn("jobguard: jobguard.journal.exclude-columns is ignored: a ChangeJournal bean is defined;"
                        + " exclude the columns on that bean (ChangeJournal.Builder.excludeColumns)");
            }
            return bean;
        }
        try {
            return ChangeJournal.builderBeside(stateStore)
                    .excludeColumns(excluded)
                    .build();
        } catch (IllegalArgumentException invalid) {
            // no cause: the message says everything, and the start failure shows this one
            throw new IllegalArgumentException(invalid.getMessage() + " (check jobguard.journal.exclude-columns)");
        }
    }

    static GuardedJobAdvisor advisor(
            ObjectProvider<JobGuard> guard, ObjectProvider<PolicyResolver> resolver, JobGuardProperties properties) {
        return new GuardedJobAdvisor(
                new GuardedJobInterceptor(guard::getObject, resolver::getObject), properties.getAdvisorOrder());
    }

    /** Kept apart so that ShedLock stays optional. */
    private static final class ShedLock {
        static void apply(JobGuard.Builder builder, ConfigurableListableBeanFactory beanFactory) {
            beanFactory.getBeanProvider(LockProvider.class).ifUnique(builder::lockProvider);
        }
    }
}
