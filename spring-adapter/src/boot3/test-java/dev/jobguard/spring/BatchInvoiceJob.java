package dev.jobguard.spring;

import javax.sql.DataSource;
import org.springframework.batch.core.Job;
import org.springframework.batch.core.JobParametersBuilder;
import org.springframework.batch.core.Step;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.launch.JobLauncher;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.item.database.builder.JdbcBatchItemWriterBuilder;
import org.springframework.batch.item.database.builder.JdbcCursorItemReaderBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/** The invoice Batch job on Spring Batch 5 (Spring Boot 3.5): launched through the JobLauncher. */
@Configuration(proxyBeanMethods = false)
public class BatchInvoiceJob {

    @Bean
    Step cancelOverdueInvoicesStep(
            JobRepository jobRepository, PlatformTransactionManager transactionManager, DataSource dataSource) {
        return new StepBuilder("cancelOverdueInvoicesStep", jobRepository)
                .<Long, Long>chunk(BatchInvoiceApp.CHUNK, transactionManager)
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
    BatchInvoiceApp.InvoiceBatch invoiceBatch(JobLauncher jobLauncher, Job cancelOverdueInvoicesJob) {
        return run -> jobLauncher
                .run(cancelOverdueInvoicesJob, new JobParametersBuilder().addString("run", run).toJobParameters())
                .getStatus()
                .name();
    }
}
