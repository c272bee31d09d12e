package dev.jobguard.spring;

import dev.jobguard.JobGuard;
import dev.jobguard.annotation.GuardedJob;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;

/**
 * A plain Spring application (Spring Framework only: no Boot class is referenced), run by {@link PlainSpringTest} in a
 * class loader that has no Spring Boot jar. It calls a guarded job that writes more rows than its limit, twice, and
 * answers what it saw in plain JDK types.
 */
public class PlainSpringScenario implements Callable<Map<String, Object>> {

    static final String JOB = "plain-close-invoices";

    @Override
    public Map<String, Object> call() {
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(App.class)) {
            Jobs jobs = context.getBean(Jobs.class);
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            JobGuard guard = context.getBean(JobGuard.class);
            Map<String, Object> seen = new LinkedHashMap<>();
            seen.put("dataSource", context.getBean(DataSource.class).getClass().getName());
            jobs.closeAll();
            seen.put("outcome", guard.runs(JOB, 1).get(0).outcome().name());
            seen.put("status", guard.state(JOB).job().status().name());
            seen.put("closed", count(jdbc, "SELECT COUNT(*) FROM invoices WHERE status = 'CLOSED'"));
            seen.put("audit", count(jdbc, "SELECT COUNT(*) FROM audit"));
            jobs.closeAll();
            seen.put("executions", jobs.executions());
            seen.put("runs", guard.runs(JOB, 10).size());
            seen.put("lastOutcome", guard.runs(JOB, 1).get(0).outcome().name());
            seen.put("bootLoadable", loadable("org.springframework.boot.SpringApplication"));
            return seen;
        }
    }

    private static int count(JdbcTemplate jdbc, String sql) {
        Integer count = jdbc.queryForObject(sql, Integer.class);
        return count == null ? 0 : count;
    }

    private static boolean loadable(String className) {
        try {
            Class.forName(className, false, PlainSpringScenario.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException absent) {
            return false;
        }
    }

    /** The application: an H2 DataSource, a transaction manager and the job, with {@code @EnableJobGuard}. */
    @Configuration(proxyBeanMethods = false)
    @EnableJobGuard
    @EnableTransactionManagement
    static class App {
        @Bean
        DataSource dataSource() {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL("jdbc:h2:mem:plain-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
            h2.setUser("sa");
            return h2;
        }

        @Bean
        JdbcTemplate jdbcTemplate(DataSource dataSource) {
            JdbcTemplate jdbc = new JdbcTemplate(dataSource);
            jdbc.execute("CREATE TABLE invoices (id INT PRIMARY KEY, status VARCHAR(20) NOT NULL)");
            jdbc.execute("CREATE TABLE audit (id INT AUTO_INCREMENT PRIMARY KEY, note VARCHAR(100))");
            for (int i = 1; i <= 10; i++) {
                jdbc.update("INSERT INTO invoices (id, status) VALUES (?, 'OPEN')", i);
            }
            return jdbc;
        }

        @Bean
        PlatformTransactionManager transactionManager(DataSource dataSource) {
            return new DataSourceTransactionManager(dataSource);
        }

        @Bean
        Jobs jobs(JdbcTemplate jdbc) {
            return new Jobs(jdbc);
        }
    }

    /** A job that logs, then closes every open invoice: 11 rows against a limit of 5. */
    public static class Jobs {
        private final JdbcTemplate jdbc;
        private final AtomicInteger executions = new AtomicInteger();

        public Jobs(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @Transactional
        @GuardedJob(name = JOB, maxRowsChanged = 5)
        public void closeAll() {
            executions.incrementAndGet();
            jdbc.update("INSERT INTO audit (note) VALUES ('closing every open invoice')");
            jdbc.update("UPDATE invoices SET status = 'CLOSED' WHERE status = 'OPEN'");
        }

        public int executions() {
            return executions.get();
        }
    }
}
