package dev.jobguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobguard.GuardMode;
import dev.jobguard.GuardPolicy;
import dev.jobguard.Operation;
import dev.jobguard.RunOutcome;
import dev.jobguard.RunReport;
import dev.jobguard.StatementRefusedException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MariaDbGuardedRunIntegrationTest extends AbstractGuardedRunIntegrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }

    @Test
    void anUpsertThatUpdatesARowCountsTheTwoTheDriverReports() throws SQLException {
        RunReport report = guard.run(GuardPolicy.builder("upsert").build(), () -> {
            try (Connection connection = guarded.getConnection();
                    Statement statement = connection.createStatement()) {
                statement.executeUpdate("INSERT INTO audit_log (id, note) VALUES (1, 'new')");
                statement.executeUpdate(
                        "INSERT INTO audit_log (id, note) VALUES (1, 'again') ON DUPLICATE KEY UPDATE note = 'upd'");
                statement.executeUpdate("REPLACE INTO audit_log (id, note) VALUES (1, 'replaced')");
            }
        });

        assertThat(invoices.count("audit_log", "")).isEqualTo(1);
        assertThat(report.rowsChanged("audit_log", Operation.INSERT)).isEqualTo(1 + 2);
        assertThat(report.rowsChanged("audit_log", Operation.MERGE)).isEqualTo(2);
    }

    @Test
    void aProcedureThatSelectsThenUpdatesCountsItsUpdateNotItsQueryRows() throws SQLException {
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("DROP PROCEDURE IF EXISTS report_then_cancel");
            statement.execute("CREATE PROCEDURE report_then_cancel() BEGIN"
                    + " SELECT id FROM invoices WHERE id <= 100;"
                    + " UPDATE invoices SET status = 'CANCELLED' WHERE status = 'OPEN' AND id <= 10; END");
        }
        List<String> resultsSeenByJob = new ArrayList<>();
        RunReport report =
                guard.run(GuardPolicy.builder("proc").maxRowsChanged(50).build(), () -> {
                    try (Connection connection = guarded.getConnection();
                            Statement statement = connection.createStatement()) {
                        boolean resultSet = statement.execute("CALL report_then_cancel()");
                        while (resultSet || statement.getUpdateCount() != -1) {
                            resultsSeenByJob.add(resultSet ? "rows" : "count " + statement.getUpdateCount());
                            resultSet = statement.getMoreResults();
                        }
                    }
                });

        assertThat(report.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(resultsSeenByJob).first().isEqualTo("rows");
        assertThat(resultsSeenByJob).contains("count 8");
        assertThat(invoices.cancelled()).isEqualTo(8);
        assertThat(report.rowsChanged())
                .as("the procedure's 100 query rows are not changes")
                .isEqualTo(8);
    }

    @Test
    void lockTablesIsRefusedInADryRunBecauseItCommitsImplicitly() throws SQLException {
        List<String> before = invoices.snapshot("invoices");
        AtomicReference<SQLException> refused = new AtomicReference<>();
        RunReport report =
                guard.run(GuardPolicy.builder("locker").mode(GuardMode.DRY_RUN).build(), () -> {
                    try (Connection connection = guarded.getConnection();
                            Statement statement = connection.createStatement()) {
                        statement.executeUpdate("DELETE FROM invoices WHERE id <= 10");
                        try {
                            statement.execute("LOCK TABLES invoices WRITE");
                        } catch (StatementRefusedException e) {
                            refused.set(e);
                        }
                    }
                });

        assertThat(report.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat((Throwable) refused.get()).hasMessageContaining("LOCK");
        assertThat(invoices.snapshot("invoices")).isEqualTo(before);
    }
}
