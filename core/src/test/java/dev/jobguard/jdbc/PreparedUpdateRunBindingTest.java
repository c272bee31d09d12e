package dev.jobguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobguard.GuardPolicy;
import dev.jobguard.internal.run.RunContext;
import dev.jobguard.internal.run.RunLimits;
import dev.jobguard.internal.run.TablePatterns;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A prepared update executed again and again keeps its request for the run it found current ({@link
 * GuardedPreparedStatement}): these tests change the run bound to the thread between executions (another run attached
 * over it, the run detached, another thread) and check which run counts each execution, and that every execution
 * changed its row.
 */
class PreparedUpdateRunBindingTest {

    private static final String RAISE = "UPDATE items SET amount = amount + 1 WHERE id = ?";

    private JdbcDataSource h2;
    private DataSource guarded;
    private Connection connection;
    private PreparedStatement raise;
    private final ExecutorService other = Executors.newSingleThreadExecutor();

    @BeforeEach
    void open() throws SQLException {
        h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:binding-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        try (Connection setup = h2.getConnection();
                Statement ddl = setup.createStatement()) {
            ddl.execute("CREATE TABLE items (id INT PRIMARY KEY, amount INT NOT NULL)");
            ddl.execute("INSERT INTO items SELECT x, 0 FROM SYSTEM_RANGE(1, 10)");
        }
        guarded = GuardedDataSource.wrap(h2);
        connection = guarded.getConnection();
        raise = connection.prepareStatement(RAISE);
    }

    @AfterEach
    void close() throws SQLException {
        other.shutdownNow();
        raise.close();
        connection.close();
        try (Connection drop = h2.getConnection();
                Statement ddl = drop.createStatement()) {
            ddl.execute("DROP ALL OBJECTS");
        }
    }

    private static RunContext run(String id) {
        GuardPolicy policy = GuardPolicy.builder("binding").maxRowsChanged(100).build();
        return new RunContext(id, policy, RunLimits.from(policy), TablePatterns.of(List.of()));
    }

    private void raise(int id, int times) throws SQLException {
        for (int i = 0; i < times; i++) {
            raise.setInt(1, id);
            assertThat(raise.executeUpdate()).isEqualTo(1);
        }
    }

    private long amount(int id) throws SQLException {
        try (Connection raw = h2.getConnection();
                PreparedStatement read = raw.prepareStatement("SELECT amount FROM items WHERE id = ?")) {
            read.setInt(1, id);
            try (ResultSet rows = read.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    @Test
    void anExecutionCountsInTheRunAttachedOverTheOneItCountedInBeforeAndBackInThatOneOnceItGoes() throws SQLException {
        RunContext outer = run("outer");
        RunContext inner = run("inner");
        try (RunContext.Scope outerScope = outer.attach()) {
            raise(1, 2);
            try (RunContext.Scope innerScope = inner.attach()) {
                raise(2, 3);
            }
            raise(3, 1);
        }

        assertThat(outer.rowsChanged()).isEqualTo(3);
        assertThat(inner.rowsChanged()).isEqualTo(3);
        assertThat(List.of(amount(1), amount(2), amount(3))).containsExactly(2L, 3L, 1L);
    }

    @Test
    void anExecutionAfterItsRunLeftTheThreadCountsNowhere() throws SQLException {
        RunContext run = run("ended");
        try (RunContext.Scope scope = run.attach()) {
            raise(1, 2);
        }
        raise(1, 3);

        assertThat(run.rowsChanged()).isEqualTo(2);
        assertThat(amount(1)).isEqualTo(5);
    }

    @Test
    void anExecutionOnAnotherThreadCountsOnlyWhereTheRunIsAttachedThere() throws Exception {
        RunContext run = run("threads");
        try (RunContext.Scope scope = run.attach()) {
            raise(1, 2);
            other.submit(() -> {
                        raise(2, 1); // the run is not attached there: not counted
                        try (RunContext.Scope there = run.attach()) {
                            raise(3, 4);
                        }
                        return null;
                    })
                    .get();
            raise(4, 1);
        }

        assertThat(run.rowsChanged()).isEqualTo(7);
        assertThat(List.of(amount(1), amount(2), amount(3), amount(4))).containsExactly(2L, 1L, 4L, 1L);
    }
}
