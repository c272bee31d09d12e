package dev.jobguard.examples;

import dev.jobguard.JobGuard;
import dev.jobguard.RunOutcome;
import dev.jobguard.annotation.GuardedJob;
import dev.jobguard.jdbc.GuardedDataSource;
import dev.jobguard.quartz.JobGuardQuartz;
import dev.jobguard.state.RunRecord;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Properties;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;

/**
 * The same guard on a plain Quartz scheduler: the buggy release of the invoice job trips, its rows stay as they were,
 * the job is DISABLED and Quartz shows it PAUSED; once the fix is in and an operator enables the job, Quartz resumes
 * it and it cancels only the overdue invoices. Run with
 * {@code mvn -B -q -pl examples -am -DskipTests package exec:java -Dexec.mainClass=dev.jobguard.examples.QuartzInvoiceIncident}.
 */
public final class QuartzInvoiceIncident {

    static final String JOB = "cancel-overdue-invoices";

    /** The DataSource the Quartz job writes through (Quartz builds jobs with their no-argument constructor). */
    static volatile DataSource jobs;

    /** The invoice job as a Quartz job; the cut-off date comes from its JobDataMap. */
    @GuardedJob(name = JOB, maxRowsChanged = 500)
    @DisallowConcurrentExecution
    public static class CancelOverdueInvoices implements Job {
        @Override
        public void execute(JobExecutionContext context) throws JobExecutionException {
            LocalDate cutoff = LocalDate.parse(context.getMergedJobDataMap().getString("cutoff"));
            try (Connection connection = jobs.getConnection();
                    PreparedStatement cancel = connection.prepareStatement(PlainInvoiceIncident.CANCEL_OVERDUE)) {
                cancel.setDate(1, Date.valueOf(cutoff));
                cancel.executeUpdate();
            } catch (SQLException e) {
                throw new JobExecutionException(e, false);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("logback.configurationFile", "logback-plain.xml");
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:quartz-invoices;DB_CLOSE_DELAY=-1");
        jobs = GuardedDataSource.wrap(h2);
        PlainInvoiceIncident invoices = new PlainInvoiceIncident(h2);
        invoices.seed();
        JobGuard guard = JobGuard.builder().nodeName("quartz-example").build();

        Properties quartz = new Properties();
        quartz.setProperty("org.quartz.scheduler.instanceName", "invoices");
        quartz.setProperty("org.quartz.threadPool.threadCount", "1");
        quartz.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        Scheduler scheduler = new StdSchedulerFactory(quartz).getScheduler();
        try (JobGuardQuartz installed = JobGuardQuartz.install(scheduler, guard)) {
            scheduler.start();
            say(
                    "Seeded %,d open invoices on H2; a Quartz scheduler runs the job, guarded with maxRowsChanged = 500.",
                    invoices.open());

            say("%n1. The buggy release (cut-off today + 30 days) fires");
            JobKey key = JobKey.jobKey("cancel", "billing");
            scheduler.scheduleJob(
                    release(key, PlainInvoiceIncident.TODAY.plusDays(30)),
                    TriggerBuilder.newTrigger()
                            .withIdentity("hourly", "billing")
                            .startNow()
                            .withSchedule(SimpleScheduleBuilder.repeatHourlyForever())
                            .build());
            RunRecord buggy = awaitRun(guard, 1);
            say(
                    "   run %s: %s",
                    buggy.outcome(), buggy.trip() == null ? "-" : buggy.trip().describe());
            say("   invoices still open: %,d; cancelled: %,d", invoices.open(), invoices.cancelled());
            say(
                    "   jobguard: %s; Quartz: the job's trigger is %s",
                    guard.state(JOB).job().status(), triggerState(scheduler, key));

            say("%n2. The fix (cut-off today - 30 days) is deployed and an operator enables the job");
            // the new release keeps the job's data, including the guard's "paused by jobguard" mark
            scheduler.addJob(
                    scheduler
                            .getJobDetail(key)
                            .getJobBuilder()
                            .usingJobData(
                                    "cutoff",
                                    PlainInvoiceIncident.TODAY.minusDays(30).toString())
                            .build(),
                    true);
            guard.enable(JOB, "release 1.4.1 fixes the cut-off", "operator");
            awaitResumed(scheduler, key);
            say("   Quartz resumed the job by itself (trigger %s); it fires again", triggerState(scheduler, key));
            scheduler.triggerJob(key);
            RunRecord fixed = awaitRun(guard, 2);
            say(
                    "   run %s: cancelled %,d invoices; still open: %,d",
                    fixed.outcome(), invoices.cancelled(), invoices.open());

            boolean told = buggy.outcome() == RunOutcome.TRIPPED
                    && fixed.outcome() == RunOutcome.SUCCEEDED
                    && invoices.cancelled() == PlainInvoiceIncident.REALLY_OVERDUE;
            if (!told) {
                throw new IllegalStateException("the Quartz example did not go as told; see the lines above");
            }
        } finally {
            scheduler.shutdown(true);
        }
    }

    private static org.quartz.JobDetail release(JobKey key, LocalDate cutoff) {
        return JobBuilder.newJob(CancelOverdueInvoices.class)
                .withIdentity(key)
                .usingJobData("cutoff", cutoff.toString())
                .storeDurably()
                .build();
    }

    /** Waits for the job's {@code count}-th recorded run that is not SKIPPED. */
    private static RunRecord awaitRun(JobGuard guard, int count) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            List<RunRecord> runs = guard.runs(JOB, 20).stream()
                    .filter(run -> run.outcome() != null && run.outcome() != RunOutcome.SKIPPED)
                    .toList();
            if (runs.size() >= count) {
                return runs.get(0);
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the job did not run within 30 s");
    }

    private static void awaitResumed(Scheduler scheduler, JobKey key) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            if (!"PAUSED".equals(triggerState(scheduler, key))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("Quartz did not resume the job within 30 s");
    }

    private static String triggerState(Scheduler scheduler, JobKey key) throws Exception {
        return scheduler
                .getTriggerState(TriggerKey.triggerKey("hourly", "billing"))
                .name();
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(format, args));
    }
}
