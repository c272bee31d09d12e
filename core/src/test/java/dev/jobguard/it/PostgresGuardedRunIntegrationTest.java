package dev.jobguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobguard.GuardContext;
import dev.jobguard.GuardPolicy;
import dev.jobguard.Operation;
import dev.jobguard.RunOutcome;
import dev.jobguard.RunReport;
import dev.jobguard.TripReason;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

class PostgresGuardedRunIntegrationTest extends AbstractGuardedRunIntegrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }

    @Test
    void aDataModifyingCteInsideASelectCannotBeCountedSoItTripsALimitedRun() throws SQLException {
        List<String> before = invoices.snapshot("invoices");
        RunReport report =
                guard.run(GuardPolicy.builder("cte").maxRowsChanged(5000).build(), () -> {
                    try (Connection connection = guarded.getConnection();
                            Statement statement = connection.createStatement();
                            ResultSet count = statement.executeQuery(
                                    "WITH gone AS (DELETE FROM invoices WHERE status = 'PAID' RETURNING id)"
                                            + " SELECT count(*) FROM gone")) {
                        count.next();
                    }
                });

        assertThat(report.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(report.trip().orElseThrow().reason()).isEqualTo(TripReason.UNKNOWN_ROW_COUNT);
        assertThat(invoices.snapshot("invoices")).isEqualTo(before);
    }

    @Test
    void rowsChangedInsideAProcedureAreInvisibleToJdbcAndCountOnlyWhenTheJobRecordsThem() throws SQLException {
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE OR REPLACE PROCEDURE cancel_open() LANGUAGE SQL AS"
                    + " $$ UPDATE invoices SET status = 'CANCELLED' WHERE status = 'OPEN' $$");
        }
        RunReport report =
                guard.run(GuardPolicy.builder("proc").maxRowsChanged(5000).build(), () -> {
                    try (Connection connection = guarded.getConnection();
                            Statement statement = connection.createStatement()) {
                        statement.execute("CALL cancel_open()");
                        GuardContext.current().recordChanges("invoices", OPEN_INVOICES);
                    }
                });

        assertThat(invoices.cancelled()).isEqualTo(OPEN_INVOICES);
        assertThat(report.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(report.statements())
                .anySatisfy(call -> assertThat(call.sql()).isEqualTo("CALL cancel_open()"))
                .allSatisfy(call -> {
                    if (call.sql().startsWith("CALL")) {
                        assertThat(call.rows())
                                .as("PostgreSQL reports 0 for CALL")
                                .isZero();
                    }
                });
        assertThat(report.rowsChanged("invoices", Operation.OTHER)).isEqualTo(OPEN_INVOICES);
    }
}
