package dev.jobguard.quartz;

import dev.jobguard.GuardContext;
import dev.jobguard.annotation.GuardedJob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.InterruptableJob;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.PersistJobDataAfterExecution;

/** Jobs of the tests; each finds its {@link Fixture} through the {@code fixture} key of its JobDataMap. */
final class TestJobs {

    static final String FIXTURE = "fixture";
    static final int INVOICES = 10;

    private static final Map<String, Fixture> FIXTURES = new ConcurrentHashMap<>();

    private TestJobs() {}

    /** What a test shares with its jobs. */
    static final class Fixture {
        final String id = TestDatabases.unique();
        final DataSource dataSource;
        final String table;
        final AtomicInteger executions = new AtomicInteger();
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger maxRunning = new AtomicInteger();
        final Set<String> nodes = ConcurrentHashMap.newKeySet();
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch interrupted = new CountDownLatch(1);
        volatile boolean buggy = true;
        volatile boolean quartzWriteInRun;
        volatile Boolean guardActiveInProbe;

        Fixture(DataSource dataSource, String table) {
            this.dataSource = dataSource;
            this.table = table;
            FIXTURES.put(id, this);
        }

        void createInvoices() throws SQLException {
            try (Connection connection = dataSource.getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, status VARCHAR(20) NOT NULL)");
                for (int id = 1; id <= INVOICES; id++) {
                    statement.execute("INSERT INTO " + table + " VALUES (" + id + ", 'OPEN')");
                }
            }
        }

        void dropInvoices() throws SQLException {
            try (Connection connection = dataSource.getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("DROP TABLE IF EXISTS " + table);
            }
        }

        int cancelled() throws SQLException {
            try (Connection connection = dataSource.getConnection();
                    Statement statement = connection.createStatement();
                    ResultSet rows =
                            statement.executeQuery("SELECT COUNT(*) FROM " + table + " WHERE status = 'CANCELLED'")) {
                rows.next();
                return rows.getInt(1);
            }
        }

        void close() {
            FIXTURES.remove(id);
        }
    }

    static Fixture fixture(JobExecutionContext context) {
        String id = context.getMergedJobDataMap().getString(FIXTURE);
        return id == null ? null : FIXTURES.get(id);
    }

    /** Cancels every open invoice when buggy (trips a limit of 5), one invoice when fixed. */
    static void cancelInvoices(JobExecutionContext context) throws Exception {
        Fixture fixture = fixture(context);
        fixture.executions.incrementAndGet();
        fixture.nodes.add(context.getScheduler().getSchedulerInstanceId());
        String sql = "UPDATE " + fixture.table + " SET status = 'CANCELLED' WHERE status = 'OPEN'"
                + (fixture.buggy ? "" : " AND id = 1");
        if (fixture.quartzWriteInRun) {
            // Quartz's own bookkeeping inside the guarded run, through the guarded DataSource: not counted, kept
            context.getScheduler()
                    .addJob(
                            JobBuilder.newJob(ProbeJob.class)
                                    .withIdentity("marker-" + fixture.id, "jobguard-test")
                                    .storeDurably()
                                    .build(),
                            true);
        }
        try (Connection connection = fixture.dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(sql)) {
            update.executeUpdate();
        }
    }

    @GuardedJob(maxRowsChanged = 5)
    public static class CancelInvoicesJob implements Job {
        @Override
        public void execute(JobExecutionContext context) throws JobExecutionException {
            try {
                cancelInvoices(context);
            } catch (JobExecutionException own) {
                throw own;
            } catch (Exception failure) {
                throw new JobExecutionException(failure);
            }
        }
    }

    /** No annotation: guarded through the JobDataMap keys only. */
    public static class PlainCancelInvoicesJob implements Job {
        @Override
        public void execute(JobExecutionContext context) throws JobExecutionException {
            new CancelInvoicesJob().execute(context);
        }
    }

    @GuardedJob
    @DisallowConcurrentExecution
    @PersistJobDataAfterExecution
    public static class CountingJob implements Job {
        @Override
        public void execute(JobExecutionContext context) {
            Fixture fixture = fixture(context);
            int now = fixture.running.incrementAndGet();
            fixture.maxRunning.accumulateAndGet(now, Math::max);
            try {
                Thread.sleep(150);
                int count = context.getJobDetail().getJobDataMap().containsKey("count")
                        ? context.getJobDetail().getJobDataMap().getInt("count")
                        : 0;
                context.getJobDetail().getJobDataMap().put("count", count + 1);
                fixture.executions.incrementAndGet();
            } catch (InterruptedException stop) {
                Thread.currentThread().interrupt();
            } finally {
                fixture.running.decrementAndGet();
            }
        }
    }

    @GuardedJob
    public static class WaitingJob implements InterruptableJob {
        private volatile Fixture fixture;
        private final CountDownLatch stop = new CountDownLatch(1);

        @Override
        public void execute(JobExecutionContext context) throws JobExecutionException {
            fixture = fixture(context);
            fixture.started.countDown();
            try {
                if (stop.await(30, TimeUnit.SECONDS)) {
                    fixture.interrupted.countDown();
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            fixture.executions.incrementAndGet();
        }

        @Override
        public void interrupt() {
            stop.countDown();
        }
    }

    /** Unguarded: records whether a guard context is active on its thread. */
    public static class ProbeJob implements Job {
        @Override
        public void execute(JobExecutionContext context) {
            Fixture fixture = fixture(context);
            if (fixture != null) {
                fixture.guardActiveInProbe = GuardContext.current().isActive();
                fixture.executions.incrementAndGet();
            }
        }
    }
}
