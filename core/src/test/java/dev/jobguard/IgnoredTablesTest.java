package dev.jobguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobguard.jdbc.GuardedDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which tables a run counts, as {@link JobGuard.Builder#ignoredTables} and {@code replaceIgnoredTables} set them. */
class IgnoredTablesTest {

    private static final List<String> TABLES = List.of("invoices", "batch_job_execution", "QRTZ_LOCKS", "audit_log");

    private final JdbcDataSource h2 = new JdbcDataSource();
    private DataSource guarded;

    @BeforeEach
    void tables() throws SQLException {
        h2.setURL("jdbc:h2:mem:ignored-tables;DB_CLOSE_DELAY=-1");
        try (Connection connection = h2.getConnection();
                Statement statement = connection.createStatement()) {
            for (String table : TABLES) {
                statement.execute("DROP TABLE IF EXISTS " + table);
                statement.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY)");
            }
        }
        guarded = GuardedDataSource.wrap(h2);
    }

    @Test
    void springBatchTablesAreIgnoredByDefaultInAnyCase() throws SQLException {
        RunReport report = runInsertingOneRowPerTable(JobGuard.builder().build(), 10);

        assertThat(report.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(report.rowsByTable()).containsOnlyKeys("invoices", "audit_log");
        assertThat(report.rowsChanged()).isEqualTo(2);
        assertThat(rows("batch_job_execution")).isEqualTo(1);
    }

    @Test
    void ignoredTablesAddsToTheDefaults() throws SQLException {
        RunReport report = runInsertingOneRowPerTable(
                JobGuard.builder().ignoredTables(List.of("AUDIT_*")).build(), 10);

        assertThat(report.rowsByTable()).containsOnlyKeys("invoices");
        assertThat(report.rowsChanged()).isEqualTo(1);
    }

    @Test
    void replaceIgnoredTablesDropsTheDefaultsItDoesNotName() throws SQLException {
        RunReport report = runInsertingOneRowPerTable(
                JobGuard.builder()
                        .replaceIgnoredTables(List.of("jobguard_*", "audit_*"))
                        .build(),
                1);

        // batch_job_execution is counted again: with the invoice that is two rows against a limit of one
        assertThat(report.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(rows("invoices")).isZero();
        assertThat(rows("batch_job_execution")).isZero();
    }

    @Test
    void anInvalidPatternFailsTheBuilderNamingIt() {
        assertThatThrownBy(() -> JobGuard.builder().ignoredTables(List.of("batch_*_x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'batch_*_x'")
                .hasMessageContaining("a prefix followed by '*'");
        assertThatThrownBy(() -> JobGuard.builder().replaceIgnoredTables(List.of("*")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("every table uncounted");
    }

    /** A manual-commit job that inserts one row into each table in one transaction. */
    private RunReport runInsertingOneRowPerTable(JobGuard guard, long maxRowsChanged) {
        GuardPolicy policy = GuardPolicy.builder("one-row-each")
                .maxRowsChanged(maxRowsChanged)
                .build();
        return guard.run(policy, () -> {
            try (Connection connection = guarded.getConnection();
                    Statement statement = connection.createStatement()) {
                connection.setAutoCommit(false);
                for (String table : TABLES) {
                    statement.executeUpdate("INSERT INTO " + table + " VALUES (1)");
                }
                connection.commit();
            }
        });
    }

    private long rows(String table) throws SQLException {
        try (Connection connection = h2.getConnection();
                Statement statement = connection.createStatement();
                ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            count.next();
            return count.getLong(1);
        }
    }
}
