package dev.jobguard.stacks.jooq;

import static dev.jobguard.stacks.jooq.JooqTables.INVOICES;
import static dev.jobguard.stacks.jooq.JooqTables.REMINDERS;

import dev.jobguard.annotation.GuardedJob;
import dev.jobguard.stacks.StackInvoices;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.jooq.BatchBindStep;
import org.jooq.DSLContext;
import org.jooq.Query;
import org.jooq.conf.Settings;
import org.jooq.conf.StatementType;
import org.jooq.impl.DSL;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * A Spring Boot application whose scheduled jobs write through jOOQ's {@link DSLContext} as Boot configures it
 * ({@code spring-boot-starter-jooq}: Spring's transactions, the dialect read from the DataSource): a bulk UPDATE, a
 * batch of one query with many binds ({@code PreparedStatement.executeBatch}), a batch of many queries (a plain
 * {@code Statement} batch with inlined values), and the same jobs with {@link StatementType#STATIC_STATEMENT}.
 */
@SpringBootApplication
@EnableScheduling
public class JooqInvoiceApp {

    public static final String PREFIX = "jooq_";
    public static final String CANCEL = "jooq-cancel-overdue";
    public static final String CANCEL_BUGGY = "jooq-cancel-overdue-buggy";
    public static final String CANCEL_STATIC = "jooq-cancel-overdue-static";
    public static final String RECORDS_CANCEL = "jooq-records-cancel-overdue";
    public static final String ONE_BY_ONE = "jooq-cancel-overdue-one-by-one";
    public static final String BATCH_BUGGY = "jooq-batch-cancel-buggy";
    public static final String STATIC_BATCH_BUGGY = "jooq-static-batch-cancel-buggy";
    public static final int LIMIT = 50;

    @Component
    public static class InvoiceJobs {
        private final DSLContext dsl;
        private final DSLContext staticDsl;

        public InvoiceJobs(DSLContext dsl) {
            this.dsl = dsl;
            this.staticDsl = DSL.using(
                    dsl.configuration().derive(new Settings().withStatementType(StatementType.STATIC_STATEMENT)));
        }

        /**
         * A bulk UPDATE of the overdue invoices (a PreparedStatement) and their reminders in one batch of one
         * INSERT with a bind set per row: 20 + 20 rows.
         */
        @Scheduled(cron = "${jobs.cron:-}")
        @GuardedJob(name = CANCEL, maxRowsChanged = LIMIT)
        @Transactional
        public void cancelOverdueInvoices() {
            cancelAndRemind(dsl, StackInvoices.overdueCutoff());
        }

        /** The buggy release of the same job: its bulk UPDATE would change all 100 invoices. */
        @Scheduled(cron = "${jobs.cron:-}")
        @GuardedJob(name = CANCEL_BUGGY, maxRowsChanged = LIMIT)
        @Transactional
        public void cancelOverdueInvoicesBuggy() {
            cancelAndRemind(dsl, StackInvoices.buggyCutoff());
        }

        /**
         * The same job with values inlined ({@code StatementType.STATIC_STATEMENT}): the UPDATE is a plain
         * {@code Statement}, the reminders a batch of many queries.
         */
        @Scheduled(cron = "${jobs.cron:-}")
        @GuardedJob(name = CANCEL_STATIC, maxRowsChanged = LIMIT)
        @Transactional
        public void cancelOverdueInvoicesStatic() {
            cancelAndRemind(staticDsl, StackInvoices.overdueCutoff());
        }

        /**
         * The job without a transaction, one statement per invoice and reminder (40 statements): each takes a
         * connection from the pool and gives it back, as jOOQ does outside a transaction.
         */
        @Scheduled(cron = "${jobs.cron:-}")
        @GuardedJob(name = ONE_BY_ONE, maxRowsChanged = LIMIT)
        public void cancelOverdueInvoicesOneByOne() {
            for (Integer id : dueBefore(dsl, StackInvoices.overdueCutoff())) {
                dsl.update(INVOICES)
                        .set(INVOICES.STATUS, "CANCELLED")
                        .where(INVOICES.ID.eq(id))
                        .execute();
                dsl.insertInto(REMINDERS, REMINDERS.ID, REMINDERS.INVOICE_ID, REMINDERS.MESSAGE)
                        .values(id, id, "cancelled: overdue")
                        .execute();
            }
        }

        /**
         * The same job with records: the overdue invoices fetched, changed and stored with {@code batchUpdate}, the
         * reminders created and stored with {@code batchInsert}.
         */
        @Scheduled(cron = "${jobs.cron:-}")
        @GuardedJob(name = RECORDS_CANCEL, maxRowsChanged = LIMIT)
        @Transactional
        public void cancelOverdueInvoicesAsRecords() {
            List<JooqTables.InvoiceRecord> overdue = dsl.selectFrom(INVOICES)
                    .where(INVOICES.STATUS.eq("OPEN").and(INVOICES.DUE_DATE.lt(StackInvoices.overdueCutoff())))
                    .fetch();
            List<JooqTables.ReminderRecord> reminders = new ArrayList<>();
            for (JooqTables.InvoiceRecord invoice : overdue) {
                invoice.set(INVOICES.STATUS, "CANCELLED");
                JooqTables.ReminderRecord reminder = dsl.newRecord(REMINDERS);
                reminder.set(REMINDERS.ID, invoice.get(INVOICES.ID));
                reminder.set(REMINDERS.INVOICE_ID, invoice.get(INVOICES.ID));
                reminder.set(REMINDERS.MESSAGE, "cancelled: overdue");
                reminders.add(reminder);
            }
            dsl.batchUpdate(overdue).execute();
            dsl.batchInsert(reminders).execute();
        }

        /**
         * The buggy release as a batch of one UPDATE per invoice with its binds, without a transaction (each
         * statement auto-commits): the batch crosses the limit, and the guard rolls the whole batch back.
         */
        @Scheduled(cron = "${jobs.cron:-}")
        @GuardedJob(name = BATCH_BUGGY, maxRowsChanged = LIMIT)
        public void batchCancelBuggy() {
            List<Integer> ids = dueBefore(dsl, StackInvoices.buggyCutoff());
            BatchBindStep batch = dsl.batch(
                    dsl.update(INVOICES).set(INVOICES.STATUS, (String) null).where(INVOICES.ID.eq((Integer) null)));
            for (Integer id : ids) {
                batch = batch.bind("CANCELLED", id);
            }
            batch.execute();
        }

        /** The buggy release as a batch of many queries, values inlined: a plain {@code Statement} batch. */
        @Scheduled(cron = "${jobs.cron:-}")
        @GuardedJob(name = STATIC_BATCH_BUGGY, maxRowsChanged = LIMIT)
        @Transactional
        public void staticBatchCancelBuggy() {
            List<Query> updates = dueBefore(dsl, StackInvoices.buggyCutoff()).stream()
                    .map(id -> (Query) dsl.update(INVOICES)
                            .set(INVOICES.STATUS, "CANCELLED")
                            .where(INVOICES.ID.eq(id)))
                    .toList();
            dsl.batch(updates).execute();
        }

        private static void cancelAndRemind(DSLContext dsl, LocalDate cutoff) {
            List<Integer> ids = dueBefore(dsl, cutoff);
            dsl.update(INVOICES)
                    .set(INVOICES.STATUS, "CANCELLED")
                    .where(INVOICES.STATUS.eq("OPEN").and(INVOICES.DUE_DATE.lt(cutoff)))
                    .execute();
            if (dsl.settings().getStatementType() == StatementType.STATIC_STATEMENT) {
                dsl.batch(ids.stream()
                                .map(id -> (Query)
                                        dsl.insertInto(REMINDERS, REMINDERS.ID, REMINDERS.INVOICE_ID, REMINDERS.MESSAGE)
                                                .values(id, id, "cancelled: overdue"))
                                .toList())
                        .execute();
            } else {
                BatchBindStep reminders =
                        dsl.batch(dsl.insertInto(REMINDERS, REMINDERS.ID, REMINDERS.INVOICE_ID, REMINDERS.MESSAGE)
                                .values((Integer) null, null, null));
                for (Integer id : ids) {
                    reminders = reminders.bind(id, id, "cancelled: overdue");
                }
                reminders.execute();
            }
        }

        private static List<Integer> dueBefore(DSLContext dsl, LocalDate cutoff) {
            return dsl.select(INVOICES.ID)
                    .from(INVOICES)
                    .where(INVOICES.STATUS.eq("OPEN").and(INVOICES.DUE_DATE.lt(cutoff)))
                    .orderBy(INVOICES.ID)
                    .fetch(INVOICES.ID);
        }
    }
}
