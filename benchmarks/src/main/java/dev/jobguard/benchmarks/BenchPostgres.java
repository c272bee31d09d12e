package dev.jobguard.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The PostgreSQL database of the benchmarks that need one: {@code JOBGUARD_BENCH_POSTGRES_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/test}), {@code JOBGUARD_BENCH_POSTGRES_USER} (default {@code postgres}) and
 * {@code JOBGUARD_BENCH_POSTGRES_PASSWORD} (default empty).
 */
final class BenchPostgres {

    private BenchPostgres() {}

    /** A pool of four connections to the benchmark database. */
    static HikariDataSource pool() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(env("JOBGUARD_BENCH_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test"));
        config.setUsername(env("JOBGUARD_BENCH_POSTGRES_USER", "postgres"));
        config.setPassword(env("JOBGUARD_BENCH_POSTGRES_PASSWORD", ""));
        config.setMaximumPoolSize(4);
        return new HikariDataSource(config);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
