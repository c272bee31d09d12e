package dev.jobguard.spring;

import dev.jobguard.GuardMode;
import dev.jobguard.annotation.GuardedJob;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Id;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Table;
import java.sql.Date;
import java.time.LocalDate;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * A Spring Boot application with the invoice incident of DESIGN.md: 10,000 invoices, about 200 overdue by more than
 * 30 days, and a scheduled job whose buggy release cancels every open invoice due before today + 30 days.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableScheduling
@Import({
    InvoiceApp.InvoiceTables.class,
    InvoiceApp.InvoiceJob.class,
    InvoiceApp.TickingJobs.class,
    InvoiceApp.PaymentsDryRun.class,
    InvoiceApp.AuditWriter.class,
    H2Jobs.TripEvents.class,
    OpenSecurity.class
})
public class InvoiceApp {

    static final String JOB = "spring-cancel-overdue-invoices";
    static final int INVOICES = 10_000;
    static final int PAYMENTS = 50;

    /** Creates and fills the tables before the scheduler starts. */
    @Component
    public static class InvoiceTables {
        public InvoiceTables(JdbcTemplate jdbc) {
            jdbc.execute("CREATE TABLE spring_invoices (id INT PRIMARY KEY, customer_id INT NOT NULL,"
                    + " amount NUMERIC(12, 2) NOT NULL, due_date DATE NOT NULL, status VARCHAR(20) NOT NULL)");
            jdbc.update("INSERT INTO spring_invoices SELECT i, i % 500, 100.00, CASE WHEN i <= 200"
                    + " THEN current_date - 45 ELSE current_date + (i % 60) - 10 END, 'OPEN'"
                    + " FROM generate_series(1, " + INVOICES + ") AS i");
            jdbc.execute("CREATE TABLE spring_payments (id INT PRIMARY KEY, status VARCHAR(20) NOT NULL)");
            jdbc.update(
                    "INSERT INTO spring_payments SELECT i, 'PENDING' FROM generate_series(1, " + PAYMENTS + ") AS i");
            jdbc.execute("CREATE TABLE spring_audit (id SERIAL PRIMARY KEY, message VARCHAR(200) NOT NULL)");
            jdbc.execute("CREATE TABLE spring_jpa_notes (id BIGINT PRIMARY KEY, text VARCHAR(200) NOT NULL)");
        }
    }

    /** The buggy release: today + 30 days instead of today - 30 days. */
    @Component
    public static class InvoiceJob {
        private final JdbcTemplate jdbc;

        public InvoiceJob(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @Scheduled(fixedDelay = 1500, initialDelay = 500)
        @GuardedJob(name = JOB, maxRowsChanged = 500, maxRowsPerStatement = 500)
        public void cancelOverdueInvoices() {
            jdbc.update(
                    "UPDATE spring_invoices SET status = 'CANCELLED' WHERE status = 'OPEN' AND due_date < ?",
                    Date.valueOf(LocalDate.now().plusDays(30)));
        }
    }

    /** Guarded jobs on a cron and a fixed rate, writing nothing. */
    @Component
    public static class TickingJobs {
        private final AtomicInteger cron = new AtomicInteger();
        private final AtomicInteger rate = new AtomicInteger();

        @Scheduled(cron = "* * * * * *")
        @GuardedJob(name = "spring-cron-tick")
        public void cronTick() {
            cron.incrementAndGet();
        }

        @Scheduled(fixedRate = 300)
        @GuardedJob(name = "spring-rate-tick")
        public void rateTick() {
            rate.incrementAndGet();
        }

        public int cronTicks() {
            return cron.get();
        }

        public int rateTicks() {
            return rate.get();
        }
    }

    /**
     * A dry run whose transactional service settles every payment (JdbcTemplate), records two notes through JPA
     * (assigned ids: Hibernate inserts them only when the transaction flushes at its commit), and has another bean
     * write an audit row in its own {@code REQUIRES_NEW} transaction, which a plain Spring dry run would commit.
     */
    @Component
    public static class PaymentsDryRun {
        private final JdbcTemplate jdbc;
        private final AuditWriter audit;

        @PersistenceContext
        private EntityManager entityManager;

        public PaymentsDryRun(JdbcTemplate jdbc, AuditWriter audit) {
            this.jdbc = jdbc;
            this.audit = audit;
        }

        @Transactional
        @GuardedJob(name = "spring-settle-payments", mode = GuardMode.DRY_RUN)
        public void settleAll() {
            jdbc.update("UPDATE spring_payments SET status = 'SETTLED' WHERE status = 'PENDING'");
            entityManager.persist(new JpaNote(1L, "settled"));
            entityManager.persist(new JpaNote(2L, "audited"));
            audit.write("settled every pending payment");
        }
    }

    @Entity
    @Table(name = "spring_jpa_notes")
    public static class JpaNote {
        @Id
        private Long id;

        private String text;

        protected JpaNote() {}

        JpaNote(Long id, String text) {
            this.id = id;
            this.text = text;
        }

        public Long getId() {
            return id;
        }

        public String getText() {
            return text;
        }
    }

    @Component
    public static class AuditWriter {
        private final JdbcTemplate jdbc;

        public AuditWriter(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @Transactional(propagation = Propagation.REQUIRES_NEW)
        public void write(String message) {
            jdbc.update("INSERT INTO spring_audit (message) VALUES (?)", message);
        }
    }
}
