package dev.jobguard.cli;

import dev.jobguard.JobGuard;
import dev.jobguard.internal.journal.JournalTables;
import dev.jobguard.journal.ChangeJournal;
import dev.jobguard.state.JdbcStateStore;
import dev.jobguard.state.StateStoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/** What one command works with: the guard's operator API, its store, and the database. */
record Session(JobGuard guard, JdbcStateStore store, DataSource dataSource, String tablePrefix)
        implements AutoCloseable {

    /** Whether the store knows the job: a stored state or at least one run. */
    boolean knows(String job) {
        return guard.state(job).job().version() > 0 || !guard.runs(job, 1).isEmpty();
    }

    /**
     * The change journal in this database under the same table prefix (where a {@code JobGuard} on a
     * {@code JdbcStateStore} keeps it by default). Like the store, it never creates its tables.
     */
    ChangeJournal journal() {
        return ChangeJournal.builder(dataSource)
                .tablePrefix(tablePrefix)
                .autoCreateTables(false)
                .build();
    }

    /** Whether the journal's tables exist: no job ever journaled here when they do not. */
    boolean journalExists() {
        try (Connection connection = dataSource.getConnection()) {
            new JournalTables(tablePrefix, false, List.of()).ensureTables(connection);
            return true;
        } catch (StateStoreException missing) {
            return false;
        } catch (SQLException failed) {
            throw new StateStoreException(
                    "jobguard: could not look for the change journal's tables: " + failed.getMessage(), failed);
        }
    }

    @Override
    public void close() {
        guard.close();
    }
}
