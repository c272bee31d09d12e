package dev.jobguard.stacks.mybatis;

import dev.jobguard.annotation.GuardedJob;
import dev.jobguard.stacks.StackInvoices;
import java.time.LocalDate;
import java.util.List;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSessionFactory;
import org.mybatis.spring.SqlSessionTemplate;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * A Spring Boot application whose scheduled jobs write through MyBatis as {@code mybatis-spring-boot-starter}
 * configures it: a mapper with the default (simple) executor, each call one PreparedStatement, and the same mapper
 * through a {@code SqlSessionTemplate} with {@link ExecutorType#BATCH}, whose statements are queued and sent as JDBC
 * batches when the Spring transaction commits.
 */
@SpringBootApplication
@EnableScheduling
public class MyBatisInvoiceApp {

    public static final String PREFIX = "mybatis_";
    public static final String CANCEL = "mybatis-cancel-overdue";
    public static final String CANCEL_BUGGY = "mybatis-cancel-overdue-buggy";
    public static final String ONE_BY_ONE = "mybatis-cancel-overdue-one-by-one";
    public static final String BATCH_CANCEL = "mybatis-batch-cancel-overdue";
    public static final String BATCH_CANCEL_BUGGY = "mybatis-batch-cancel-overdue-buggy";
    public static final int LIMIT = 50;

    @Component
    public static class InvoiceJobs {
        private final InvoiceMapper invoices;
        private final InvoiceMapper batchInvoices;

        public InvoiceJobs(InvoiceMapper invoices, SqlSessionFactory sqlSessionFactory) {
            this.invoices = invoices;
            this.batchInvoices =
                    new SqlSessionTemplate(sqlSessionFactory, ExecutorType.BATCH).getMapper(InvoiceMapper.class);
        }

        /** A bulk UPDATE and one INSERT per cancelled invoice: 20 + 20 rows. */
        @Scheduled(cron = "${jobs.cron:-}")
        @GuardedJob(name = CANCEL, maxRowsChanged = LIMIT)
        @Transactional
        public void cancelOverdueInvoices() {
            cancelAndRemind(StackInvoices.overdueCutoff());
        }

        /** The buggy release: its bulk UPDATE would cancel all 100 invoices. */
        @Scheduled(cron = "${jobs.cron:-}")
        @GuardedJob(name = CANCEL_BUGGY, maxRowsChanged = LIMIT)
        @Transactional
        public void cancelOverdueInvoicesBuggy() {
            cancelAndRemind(StackInvoices.buggyCutoff());
        }

        /**
         * The job without a transaction, one mapper call per invoice and reminder (40 statements): each call is a
         * SqlSession of its own that takes a connection from the pool, commits and gives it back.
         */
        @Scheduled(cron = "${jobs.cron:-}")
        @GuardedJob(name = ONE_BY_ONE, maxRowsChanged = LIMIT)
        public void cancelOverdueInvoicesOneByOne() {
            for (Integer id : invoices.dueBefore(StackInvoices.overdueCutoff())) {
                invoices.cancel(id);
                invoices.remind(id);
            }
        }

        /** One UPDATE and one INSERT per overdue invoice through the batch executor: sent at the commit. */
        @Scheduled(cron = "${jobs.cron:-}")
        @GuardedJob(name = BATCH_CANCEL, maxRowsChanged = LIMIT)
        @Transactional
        public void batchCancelOverdueInvoices() {
            batchCancelAndRemind(StackInvoices.overdueCutoff());
        }

        /** The buggy release through the batch executor: 100 + 100 statements queued, sent at the commit. */
        @Scheduled(cron = "${jobs.cron:-}")
        @GuardedJob(name = BATCH_CANCEL_BUGGY, maxRowsChanged = LIMIT)
        @Transactional
        public void batchCancelOverdueInvoicesBuggy() {
            batchCancelAndRemind(StackInvoices.buggyCutoff());
        }

        private void cancelAndRemind(LocalDate cutoff) {
            List<Integer> ids = invoices.dueBefore(cutoff);
            invoices.cancelDueBefore(cutoff);
            ids.forEach(invoices::remind);
        }

        private void batchCancelAndRemind(LocalDate cutoff) {
            // one transaction holds one SqlSession: every call of this run goes through the batch executor
            List<Integer> ids = batchInvoices.dueBefore(cutoff);
            ids.forEach(batchInvoices::cancel); // one JDBC batch of UPDATEs
            ids.forEach(batchInvoices::remind); // one JDBC batch of INSERTs
        }
    }
}
