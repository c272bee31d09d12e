package dev.jobguard.stacks.jpa;

import dev.jobguard.annotation.GuardedJob;
import dev.jobguard.stacks.StackInvoices;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityManager;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.LocalDate;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * A Spring Boot application whose scheduled jobs write through JPA/Hibernate as teams write them: entities loaded
 * through a Spring Data repository and changed in memory (Hibernate writes them when the transaction flushes at its
 * commit, in JDBC batches of {@code hibernate.jdbc.batch_size}), new entities persisted, and a bulk JPQL update.
 */
@SpringBootApplication
@EnableScheduling
public class JpaInvoiceApp {

    public static final String PREFIX = "jpa_";
    public static final String CANCEL = "jpa-cancel-overdue";
    public static final String CANCEL_BUGGY = "jpa-cancel-overdue-buggy";
    public static final String BULK_BUGGY = "jpa-bulk-cancel-buggy";
    public static final String WRITE_LETTERS = "jpa-write-letters";
    public static final String WRITE_LETTERS_BUGGY = "jpa-write-letters-buggy";
    public static final String CANCEL_JOURNALED = "jpa-cancel-overdue-journaled";
    public static final int LIMIT = 50;

    @Entity(name = "JpaInvoice")
    @Table(name = "jpa_invoices")
    public static class Invoice {
        @Id
        private Integer id;

        @Column(name = "customer_id")
        private int customerId;

        private BigDecimal amount;

        @Column(name = "due_date")
        private LocalDate dueDate;

        private String status;

        protected Invoice() {}

        public Integer getId() {
            return id;
        }

        public LocalDate getDueDate() {
            return dueDate;
        }

        public void cancel() {
            status = "CANCELLED";
        }
    }

    @Entity(name = "JpaReminder")
    @Table(name = "jpa_reminders")
    public static class Reminder {
        @Id
        private Integer id;

        @Column(name = "invoice_id")
        private int invoiceId;

        private String message;

        protected Reminder() {}

        Reminder(Invoice invoice) {
            this.id = invoice.getId();
            this.invoiceId = invoice.getId();
            this.message = "cancelled: overdue since " + invoice.getDueDate();
        }
    }

    /** An entity whose id the database generates: Hibernate inserts it at {@code persist}, one by one. */
    @Entity(name = "JpaAuditEntry")
    @Table(name = "jpa_audit")
    public static class AuditEntry {
        @Id
        @GeneratedValue(strategy = GenerationType.IDENTITY)
        private Long id;

        private String message;

        protected AuditEntry() {}

        AuditEntry(String message) {
            this.message = message;
        }
    }

    /** An entity whose id comes from a sequence: Hibernate reads it at {@code persist}, inserts in batches. */
    @Entity(name = "JpaLetter")
    @Table(name = "jpa_letters")
    public static class Letter {
        @Id
        @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "letters")
        @SequenceGenerator(name = "letters", sequenceName = "jpa_letter_seq", allocationSize = 10)
        private Long id;

        @Column(name = "invoice_id")
        private int invoiceId;

        protected Letter() {}

        Letter(Invoice invoice) {
            this.invoiceId = invoice.getId();
        }
    }

    /** The jobs. Scheduled as an application schedules them (the cron is off in the tests, which call them). */
    @Component
    public static class InvoiceJobs {
        private final InvoiceRepository invoices;

        @PersistenceContext
        private EntityManager entityManager;

        public InvoiceJobs(InvoiceRepository invoices) {
            this.invoices = invoices;
        }

        /** Cancels each overdue invoice and persists a reminder for it: 20 UPDATEs and 20 INSERTs at the commit. */
        @Scheduled(cron = "${jobs.cron:-}")
        @GuardedJob(name = CANCEL, maxRowsChanged = LIMIT)
        @Transactional
        public void cancelOverdueInvoices() {
            cancelDueBefore(StackInvoices.overdueCutoff());
        }

        /** The buggy release: every invoice due within a year (100 UPDATEs and 100 INSERTs at the commit). */
        @Scheduled(cron = "${jobs.cron:-}")
        @GuardedJob(name = CANCEL_BUGGY, maxRowsChanged = LIMIT)
        @Transactional
        public void cancelOverdueInvoicesBuggy() {
            cancelDueBefore(StackInvoices.buggyCutoff());
        }

        /** The buggy release as one bulk JPQL update. */
        @Scheduled(cron = "${jobs.cron:-}")
        @GuardedJob(name = BULK_BUGGY, maxRowsChanged = LIMIT)
        @Transactional
        public void bulkCancelBuggy() {
            invoices.cancelAllDueBefore(StackInvoices.buggyCutoff());
        }

        /** An audit entry (IDENTITY id) and a letter (SEQUENCE id) per overdue invoice: 20 + 20 INSERTs. */
        @Scheduled(cron = "${jobs.cron:-}")
        @GuardedJob(name = WRITE_LETTERS, maxRowsChanged = LIMIT)
        @Transactional
        public void writeLetters() {
            writeLettersDueBefore(StackInvoices.overdueCutoff());
        }

        /** The buggy release: 100 + 100 INSERTs. */
        @Scheduled(cron = "${jobs.cron:-}")
        @GuardedJob(name = WRITE_LETTERS_BUGGY, maxRowsChanged = LIMIT)
        @Transactional
        public void writeLettersBuggy() {
            writeLettersDueBefore(StackInvoices.buggyCutoff());
        }

        /** The correct release with a change journal, so that its run can be reverted. */
        @Scheduled(cron = "${jobs.cron:-}")
        @GuardedJob(name = CANCEL_JOURNALED, maxRowsChanged = LIMIT, journal = true)
        @Transactional
        public void cancelOverdueInvoicesJournaled() {
            cancelDueBefore(StackInvoices.overdueCutoff());
        }

        private void writeLettersDueBefore(LocalDate cutoff) {
            for (Invoice invoice : invoices.findByStatusAndDueDateBefore("OPEN", cutoff)) {
                entityManager.persist(new AuditEntry("letter for invoice " + invoice.getId()));
                entityManager.persist(new Letter(invoice));
            }
        }

        private void cancelDueBefore(LocalDate cutoff) {
            for (Invoice invoice : invoices.findByStatusAndDueDateBefore("OPEN", cutoff)) {
                invoice.cancel(); // written by Hibernate's dirty check when the transaction flushes at its commit
                entityManager.persist(new Reminder(invoice));
            }
        }
    }
}
