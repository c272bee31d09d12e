package dev.jobguard.it;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.jobguard.GuardPolicy;
import dev.jobguard.JobGuard;
import dev.jobguard.jdbc.GuardedDataSource;
import dev.jobguard.journal.ChangeJournal;
import dev.jobguard.state.JdbcStateStore;
import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The JVM that {@link AbstractKilledJvmIntegrationTest} kills with {@code kill -9}: a journaled run of auto-commit
 * statements, each cancelling 100 invoices and printing {@code committed N} once it returned, that never ends.
 * Arguments: JDBC URL, user, password, job name, milliseconds between statements.
 */
public final class KilledRunChild {

    private KilledRunChild() {}

    public static void main(String[] args) throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(args[0]);
        config.setUsername(args[1]);
        config.setPassword(args[2]);
        config.setMaximumPoolSize(4);
        HikariDataSource pool = new HikariDataSource(config);
        DataSource guarded = GuardedDataSource.wrap(pool);
        JobGuard guard = JobGuard.builder()
                .stateStore(JdbcStateStore.create(pool))
                .changeJournal(ChangeJournal.create(pool))
                .nodeName("doomed-node")
                .build();
        long pause = Long.parseLong(args[4]);
        guard.run(GuardPolicy.builder(args[3]).journal(true).build(), () -> {
            try (Connection connection = guarded.getConnection();
                    Statement statement = connection.createStatement()) {
                for (int block = 0; ; block = (block + 1) % 10) {
                    statement.executeUpdate("UPDATE invoices SET status = 'CANCELLED', amount = amount + 1"
                            + " WHERE id > " + block * 100 + " AND id <= " + (block * 100 + 100));
                    System.out.println("committed " + block);
                    System.out.flush();
                    Thread.sleep(pause);
                }
            }
        });
    }
}
