package dev.jobguard.spring;

import dev.jobguard.JobGuard;
import dev.jobguard.Retention;
import dev.jobguard.internal.config.JobProperties;
import dev.jobguard.state.JdbcStateStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.Ordered;

/**
 * The {@code jobguard.*} properties. Per-job settings under {@code jobguard.jobs.<name>.*} override the job's
 * {@code @GuardedJob} annotation; an operator's override in the state store applies on top at run time.
 */
@ConfigurationProperties(prefix = "jobguard")
public class JobGuardProperties {

    /** Order of the guard's advisor: before (outside) {@code @Transactional} and ShedLock's {@code @SchedulerLock}. */
    public static final int DEFAULT_ADVISOR_ORDER = Ordered.LOWEST_PRECEDENCE - 100;

    /**
     * Global kill switch on this node: false skips every guarded job (they never run unguarded). Operators switch every
     * node at once with the actuator or the CLI instead.
     */
    private boolean enabled = true;

    /** The name this node records on its runs and trips; the host name when not set. */
    private String nodeName;

    /**
     * Order of the advisor around {@code @GuardedJob} methods. The default puts the guard outside
     * {@code @Transactional} (so the transaction's commit belongs to the run) and outside {@code @SchedulerLock}.
     */
    private int advisorOrder = DEFAULT_ADVISOR_ORDER;

    /** Whether the guard takes ShedLock's {@code LockProvider} bean, when there is one (lock "jobguard-<job>"). */
    private boolean useLockProvider = true;

    /**
     * Tables no guarded run counts nor rolls back, added to the defaults (jobguard_*, shedlock, qrtz_*, batch_*):
     * table names, or prefixes followed by '*', case-insensitive, without schema. A JobGuard bean of the application
     * drops a default with JobGuard.builder().replaceIgnoredTables(...).
     */
    private List<String> ignoredTables = new ArrayList<>();

    /** How long a run may stay RUNNING before it is marked ABANDONED (its node died). */
    private Duration abandonAfter = JobGuard.DEFAULT_ABANDON_AFTER;

    /**
     * How long a dry or atomic run's statement waits on a row lock before it fails (a run waiting on its own
     * uncommitted rows on another connection fails fast instead of blocking the scheduler thread).
     */
    private Duration sandboxLockTimeout = JobGuard.DEFAULT_SANDBOX_LOCK_TIMEOUT;

    /**
     * Per-job settings by job name, over the job's GuardedJob annotation (unset: the annotation's value): mode,
     * max-rows-changed, max-rows-per-statement, tables.TABLE, atomic, allow-truncate, trip-on-unknown-row-count,
     * preflight, anomaly.enabled, anomaly.factor, anomaly.min-rows, anomaly.history, anomaly.min-runs, max-consecutive-failures,
     * max-duration, trip-on-max-duration, lock-at-most-for, journal, trip-on-journal-gap, auto-revert.
     */
    private Map<String, JobProperties> jobs = new LinkedHashMap<>();

    private final DataSource datasource = new DataSource();

    private final StateStore stateStore = new StateStore();

    private final Health health = new Health();

    private final Journal journal = new Journal();

    private final Quartz quartz = new Quartz();

    private final RunNow runNow = new RunNow();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getNodeName() {
        return nodeName;
    }

    public void setNodeName(String nodeName) {
        this.nodeName = nodeName;
    }

    public int getAdvisorOrder() {
        return advisorOrder;
    }

    public void setAdvisorOrder(int advisorOrder) {
        this.advisorOrder = advisorOrder;
    }

    public boolean isUseLockProvider() {
        return useLockProvider;
    }

    public void setUseLockProvider(boolean useLockProvider) {
        this.useLockProvider = useLockProvider;
    }

    public List<String> getIgnoredTables() {
        return ignoredTables;
    }

    public void setIgnoredTables(List<String> ignoredTables) {
        this.ignoredTables = ignoredTables == null ? new ArrayList<>() : ignoredTables;
    }

    public Duration getAbandonAfter() {
        return abandonAfter;
    }

    public void setAbandonAfter(Duration abandonAfter) {
        this.abandonAfter = abandonAfter;
    }

    public Duration getSandboxLockTimeout() {
        return sandboxLockTimeout;
    }

    public void setSandboxLockTimeout(Duration sandboxLockTimeout) {
        this.sandboxLockTimeout = sandboxLockTimeout;
    }

    public Map<String, JobProperties> getJobs() {
        return jobs;
    }

    public void setJobs(Map<String, JobProperties> jobs) {
        this.jobs = jobs == null ? new LinkedHashMap<>() : jobs;
    }

    public DataSource getDatasource() {
        return datasource;
    }

    public Journal getJournal() {
        return journal;
    }

    public StateStore getStateStore() {
        return stateStore;
    }

    private final Console console = new Console();

    public Console getConsole() {
        return console;
    }

    public Health getHealth() {
        return health;
    }

    public Quartz getQuartz() {
        return quartz;
    }

    public RunNow getRunNow() {
        return runNow;
    }

    /** {@code jobguard.run-now.*}: running a guarded job once now, from the actuator ({@code "action":"run"}). */
    public static class RunNow {

        /**
         * How long a run-now request waits for the run's report; a run that takes longer goes on, and the answer is
         * 202 with the run's id (its record appears in the state store when it ends). 0 answers at once.
         */
        private Duration timeout = GuardedJobRunner.DEFAULT_TIMEOUT;

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }
    }

    /** {@code jobguard.quartz.*}: the Quartz adapter, installed on Boot's scheduler when jobguard-quartz is present. */
    public static class Quartz {

        /** Whether jobguard installs itself on the application's Quartz scheduler. */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** {@code jobguard.datasource.*}: which DataSource beans are wrapped in a GuardedDataSource. */
    public static class DataSource {

        /** Whether every DataSource bean is wrapped in a GuardedDataSource (writes of guarded runs are counted). */
        private boolean wrap = true;

        /** Names of DataSource beans left unwrapped. */
        private Set<String> exclude = new LinkedHashSet<>();

        public boolean isWrap() {
            return wrap;
        }

        public void setWrap(boolean wrap) {
            this.wrap = wrap;
        }

        public Set<String> getExclude() {
            return exclude;
        }

        public void setExclude(Set<String> exclude) {
            this.exclude = exclude == null ? new LinkedHashSet<>() : exclude;
        }
    }

    /**
     * {@code jobguard.journal.*}: the change journal of jobs with {@code journal = true}, in the state store's database
     * (a {@code ChangeJournal} bean replaces it).
     */
    public static class Journal {

        /** Columns never recorded in the journal: {@code table.column}, or {@code *.column} for every table. */
        private Set<String> excludeColumns = new LinkedHashSet<>();

        /**
         * How long change journals are kept (purged with the run records): a run older than this can no longer be
         * reverted; 0 keeps them.
         */
        private Duration retention = Retention.DEFAULT_RETENTION;

        public Duration getRetention() {
            return retention;
        }

        public void setRetention(Duration retention) {
            this.retention = retention;
        }

        public Set<String> getExcludeColumns() {
            return excludeColumns;
        }

        public void setExcludeColumns(Set<String> excludeColumns) {
            this.excludeColumns = excludeColumns;
        }
    }

    /** {@code jobguard.state-store.*}: the default JdbcStateStore on the application's DataSource. */
    public static class StateStore {

        /** Prefix of the state tables (jobguard_job, jobguard_run, ...). */
        private String tablePrefix = JdbcStateStore.DEFAULT_TABLE_PREFIX;

        /** Whether the state tables are created on first use. */
        private boolean autoCreateTables = true;

        /**
         * How long one statement of the state store may take before the guard gives up on it and fails closed (a row
         * locked by an operator's open transaction must not stall the scheduler thread); 0 for no limit.
         */
        private Duration queryTimeout = JdbcStateStore.DEFAULT_QUERY_TIMEOUT;

        /**
         * How long run records and the audit trail are kept: every hour one node (the one holding the ShedLock lock
         * jobguard-purge, when there is a LockProvider) deletes older ones; 0 keeps everything.
         */
        private Duration retention = Retention.DEFAULT_RETENTION;

        public Duration getRetention() {
            return retention;
        }

        public void setRetention(Duration retention) {
            this.retention = retention;
        }

        public Duration getQueryTimeout() {
            return queryTimeout;
        }

        public void setQueryTimeout(Duration queryTimeout) {
            this.queryTimeout = queryTimeout;
        }

        public String getTablePrefix() {
            return tablePrefix;
        }

        public void setTablePrefix(String tablePrefix) {
            this.tablePrefix = tablePrefix;
        }

        public boolean isAutoCreateTables() {
            return autoCreateTables;
        }

        public void setAutoCreateTables(boolean autoCreateTables) {
            this.autoCreateTables = autoCreateTables;
        }
    }

    /** {@code jobguard.console.*}: the operator console, served by the application (a servlet web application). */
    public static class Console {

        /** Whether the application serves the operator console (needs Spring MVC). */
        private boolean enabled = false;

        /** The path of the console, below the servlet context path. */
        private String path = dev.jobguard.console.Console.DEFAULT_BASE_PATH;

        /**
         * Without Spring Security, whether anyone who reaches the console may act (disable, enable, revert): read-only
         * by default. With Spring Security, the role in action-role decides instead.
         */
        private boolean actionsEnabled = false;

        /** With Spring Security, the role an authenticated user needs to act; others see the console read-only. */
        private String actionRole = "JOBGUARD_OPERATOR";

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getPath() {
            return path;
        }

        public void setPath(String path) {
            this.path = path;
        }

        public boolean isActionsEnabled() {
            return actionsEnabled;
        }

        public void setActionsEnabled(boolean actionsEnabled) {
            this.actionsEnabled = actionsEnabled;
        }

        public String getActionRole() {
            return actionRole;
        }

        public void setActionRole(String actionRole) {
            this.actionRole = actionRole;
        }
    }

    /** {@code jobguard.health.*}: the health contributor listing disabled jobs. */
    public static class Health {

        /**
         * Health status reported while a job (or every job) is disabled. UP by default, so a tripped job does not take
         * the application out of its load balancer; e.g. OUT_OF_SERVICE or DOWN to make it loud.
         */
        private String disabledStatus = "UP";

        public String getDisabledStatus() {
            return disabledStatus;
        }

        public void setDisabledStatus(String disabledStatus) {
            this.disabledStatus = disabledStatus;
        }
    }
}
