package dev.jobguard.spring;

import javax.sql.DataSource;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.database.builder.JdbcBatchItemWriterBuilder;
import org.springframework.batch.infrastructure.item.database.builder.JdbcCursorItemReaderBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/** The invoice Batch job on Spring Batch 6 (Spring Boot 4): launched through the JobOperator. */
@Configuration(proxyBeanMethods = false)
public class BatchInvoiceJob {

    @Bean
    Step cancelOverdueInvoicesStep(
            JobRepository jobRepository, PlatformTransactionManager transactionManager, DataSource dataSource) {
        return new StepBuilder("cancelOverdueInvoicesStep", jobRepository)
                .<Long, Long>chunk(BatchInvoiceApp.CHUNK)
                .transactionManager(transactionManager)
                .reader(new JdbcCursorItemReaderBuilder<Long>()
                        .name("overdueInvoices")
                        .dataSource(dataSource)
                        .sql(BatchInvoiceApp.READ_SQL)
                        .rowMapper((row, number) -> row.getLong(1))
                        .build())
                .writer(new JdbcBatchItemWriterBuilder<Long>()
                        .dataSource(dataSource)
                        .sql(BatchInvoiceApp.WRITE_SQL)
                        .itemPreparedStatementSetter((id, statement) -> statement.setLong(1, id))
                        .build())
                .build();
    }

    @Bean
    Job cancelOverdueInvoicesJob(JobRepository jobRepository, Step cancelOverdueInvoicesStep) {
        return new JobBuilder(BatchInvoiceApp.BATCH_JOB, jobRepository)
                .start(cancelOverdueInvoicesStep)
                .build();
    }

    @Bean
    BatchInvoiceApp.InvoiceBatch invoiceBatch(JobOperator jobOperator, Job cancelOverdueInvoicesJob) {
        return run -> jobOperator
                .start(
                        cancelOverdueInvoicesJob,
                        new JobParametersBuilder().addString("run", run).toJobParameters())
                .getStatus()
                .name();
    }
}
