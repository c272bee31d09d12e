package dev.jobguard.spring;

import com.zaxxer.hikari.HikariDataSource;
import dev.jobguard.GuardMode;
import dev.jobguard.annotation.GuardedJob;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;

/** Test beans: an H2 pool with 10 open invoices, guarded jobs that cancel them all, a trip-event recorder. */
final class H2Jobs {

    static final int INVOICES = 10;

    private H2Jobs() {}

    /** A Hikari pool on a fresh in-memory H2 database, as a user's own DataSource bean. */
    @Configuration(proxyBeanMethods = false)
    static class DataSourceConfig {
        @Bean
        HikariDataSource dataSource() {
            HikariDataSource pool = new HikariDataSource();
            pool.setJdbcUrl("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
            pool.setUsername("sa");
            pool.setMaximumPoolSize(4);
            return pool;
        }

        @Bean
        JdbcTemplate jdbcTemplate(DataSource dataSource) {
            JdbcTemplate jdbc = new JdbcTemplate(dataSource);
            jdbc.execute("CREATE TABLE invoices (id INT PRIMARY KEY, status VARCHAR(20) NOT NULL)");
            for (int i = 1; i <= INVOICES; i++) {
                jdbc.update("INSERT INTO invoices (id, status) VALUES (?, 'OPEN')", i);
            }
            return jdbc;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableTransactionManagement
    static class TransactionConfig {
        @Bean
        PlatformTransactionManager transactionManager(DataSource dataSource) {
            return new DataSourceTransactionManager(dataSource);
        }
    }

    /** The jobs and the event recorder. */
    @Configuration(proxyBeanMethods = false)
    static class JobsConfig {
        @Bean
        InvoiceJobs invoiceJobs(JdbcTemplate jdbc) {
            return new InvoiceJobs(jdbc);
        }

        @Bean
        TripEvents tripEvents() {
            return new TripEvents();
        }
    }

    /** Guarded jobs that cancel every open invoice (the bug), with limits of 5 rows. */
    public static class InvoiceJobs {
        private final JdbcTemplate jdbc;
        private final AtomicInteger executions = new AtomicInteger();

        public InvoiceJobs(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @GuardedJob(name = "cancel-overdue-invoices", maxRowsChanged = 5)
        public void cancelAll() {
            executions.incrementAndGet();
            jdbc.update("UPDATE invoices SET status = 'CANCELLED' WHERE status = 'OPEN'");
        }

        @Transactional
        @GuardedJob(name = "tx-cancel", maxRowsPerStatement = 5)
        public void transactionalCancelAll() {
            executions.incrementAndGet();
            jdbc.update("UPDATE invoices SET status = 'CANCELLED' WHERE status = 'OPEN'");
        }

        @Transactional
        @GuardedJob(name = "tx-dry-run", mode = GuardMode.DRY_RUN)
        public void transactionalDryRun() {
            executions.incrementAndGet();
            jdbc.update("UPDATE invoices SET status = 'CANCELLED' WHERE status = 'OPEN'");
        }

        @GuardedJob
        public void unnamed() {
            executions.incrementAndGet();
        }

        @GuardedJob(name = "fails")
        public void fails() {
            executions.incrementAndGet();
            throw new IllegalStateException("the job's own failure");
        }

        public int executions() {
            return executions.get();
        }

        public int cancelled() {
            Integer count =
                    jdbc.queryForObject("SELECT COUNT(*) FROM invoices WHERE status = 'CANCELLED'", Integer.class);
            return count == null ? 0 : count;
        }
    }

    /** Records the trips published as application events. */
    public static class TripEvents {
        private final List<JobGuardTripEvent> events = new CopyOnWriteArrayList<>();

        @EventListener
        public void on(JobGuardTripEvent event) {
            events.add(event);
        }

        public List<JobGuardTripEvent> events() {
            return events;
        }
    }
}
