package dev.jobguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.jobguard.GuardPolicy;
import dev.jobguard.JobGuard;
import dev.jobguard.RunOutcome;
import dev.jobguard.RunReport;
import dev.jobguard.jdbc.GuardedDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A manual-commit job that writes and then fails before its {@code commit()} commits nothing, whatever the pool does
 * when the connection goes back to it. HikariCP (6.3, 7.0) rolls back on close only after the execute methods it
 * marks as dirtying the connection ({@code executeLargeUpdate} is not one), and then resets auto-commit to the pool's
 * default, which commits the open transaction: the guard rolls back the run's uncommitted writes itself on close.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractUncommittedCloseIntegrationTest {

    /** 20 rows: ids 1..100 of which every fifth is PAID. */
    private static final String DELETE_PAID = "DELETE FROM invoices WHERE id <= 100 AND status = 'PAID'";

    private static final String DELETE_PAID_PREPARED = "DELETE FROM invoices WHERE id <= ? AND status = ?";

    private HikariDataSource pool;
    private DataSource guarded;
    private Invoices invoices;
    private JobGuard guard;

    protected abstract TestDatabase database();

    /** How the job sends its write. */
    enum Execute {
        EXECUTE {
            @Override
            void write(Connection connection) throws SQLException {
                try (Statement statement = connection.createStatement()) {
                    statement.execute(DELETE_PAID);
                }
            }
        },
        EXECUTE_UPDATE {
            @Override
            void write(Connection connection) throws SQLException {
                try (Statement statement = connection.createStatement()) {
                    statement.executeUpdate(DELETE_PAID);
                }
            }
        },
        EXECUTE_LARGE_UPDATE {
            @Override
            void write(Connection connection) throws SQLException {
                try (Statement statement = connection.createStatement()) {
                    statement.executeLargeUpdate(DELETE_PAID);
                }
            }
        },
        EXECUTE_BATCH {
            @Override
            void write(Connection connection) throws SQLException {
                try (Statement statement = connection.createStatement()) {
                    statement.addBatch(DELETE_PAID);
                    statement.executeBatch();
                }
            }
        },
        EXECUTE_LARGE_BATCH {
            @Override
            void write(Connection connection) throws SQLException {
                try (Statement statement = connection.createStatement()) {
                    statement.addBatch(DELETE_PAID);
                    statement.executeLargeBatch();
                }
            }
        },
        PREPARED_EXECUTE {
            @Override
            void write(Connection connection) throws SQLException {
                try (PreparedStatement statement = prepared(connection)) {
                    statement.execute();
                }
            }
        },
        PREPARED_EXECUTE_UPDATE {
            @Override
            void write(Connection connection) throws SQLException {
                try (PreparedStatement statement = prepared(connection)) {
                    statement.executeUpdate();
                }
            }
        },
        PREPARED_EXECUTE_LARGE_UPDATE {
            @Override
            void write(Connection connection) throws SQLException {
                try (PreparedStatement statement = prepared(connection)) {
                    statement.executeLargeUpdate();
                }
            }
        },
        PREPARED_EXECUTE_BATCH {
            @Override
            void write(Connection connection) throws SQLException {
                try (PreparedStatement statement = prepared(connection)) {
                    statement.addBatch();
                    statement.executeBatch();
                }
            }
        },
        PREPARED_EXECUTE_LARGE_BATCH {
            @Override
            void write(Connection connection) throws SQLException {
                try (PreparedStatement statement = prepared(connection)) {
                    statement.addBatch();
                    statement.executeLargeBatch();
                }
            }
        };

        abstract void write(Connection connection) throws SQLException;

        static PreparedStatement prepared(Connection connection) throws SQLException {
            PreparedStatement statement = connection.prepareStatement(DELETE_PAID_PREPARED);
            statement.setLong(1, 100);
            statement.setString(2, "PAID");
            return statement;
        }
    }

    @BeforeAll
    void openPool() {
        pool = database().pool(Map.of());
        guarded = GuardedDataSource.wrap(pool);
        invoices = new Invoices(pool);
    }

    @AfterAll
    void closePool() {
        if (pool != null) {
            pool.close();
        }
    }

    @BeforeEach
    void resetTables() throws SQLException {
        invoices.reset(100);
        guard = JobGuard.builder().build();
    }

    @ParameterizedTest
    @EnumSource(Execute.class)
    void aManualCommitJobThatFailsBeforeItsCommitCommitsNothing(Execute execute) throws SQLException {
        List<String> before = invoices.snapshot("invoices");
        RunReport report =
                guard.run(GuardPolicy.builder("uncommitted").maxRowsChanged(100).build(), () -> {
                    try (Connection connection = guarded.getConnection()) {
                        connection.setAutoCommit(false);
                        execute.write(connection);
                        throw new IllegalStateException("the job failed before its commit");
                    }
                });

        assertThat(report.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(report.rowsChanged()).isEqualTo(20);
        assertThat(invoices.snapshot("invoices")).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(Execute.class)
    void aConnectionReturnedToThePoolWithoutACommitCommitsNothing(Execute execute) throws SQLException {
        List<String> before = invoices.snapshot("invoices");
        RunReport report =
                guard.run(GuardPolicy.builder("uncommitted").maxRowsChanged(100).build(), () -> {
                    try (Connection connection = guarded.getConnection()) {
                        connection.setAutoCommit(false);
                        execute.write(connection);
                    }
                });

        assertThat(report.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(invoices.snapshot("invoices")).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(Execute.class)
    void aCommittedManualCommitJobKeepsItsRowsAfterTheConnectionIsClosed(Execute execute) throws SQLException {
        RunReport report =
                guard.run(GuardPolicy.builder("committed").maxRowsChanged(100).build(), () -> {
                    try (Connection connection = guarded.getConnection()) {
                        connection.setAutoCommit(false);
                        execute.write(connection);
                        connection.commit();
                    }
                });

        assertThat(report.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(invoices.count("invoices", "status = 'PAID' AND id <= 100")).isZero();
        assertThat(invoices.count("invoices", "")).isEqualTo(80);
    }
}
