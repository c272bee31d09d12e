package dev.jobguard.jdbc;

import dev.jobguard.internal.journal.ConnectionJournal;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/**
 * What the guard holds of a {@link GuardedConnection}'s open transaction until it commits or rolls back: the run's
 * rows in it ({@link TransactionRows}) and the change journal's entries waiting to be written into it ({@link
 * ConnectionJournal}, created on a journaling run's first write).
 */
final class OpenTransaction {

    /** PostgreSQL's SQLState for a statement sent in a transaction that an earlier failure aborted. */
    private static final String IN_FAILED_TRANSACTION = "25P02";

    private final GuardedConnection connection;
    /** The run's rows in the open transaction. */
    final TransactionRows rows = new TransactionRows();

    private @Nullable ConnectionJournal journal;

    OpenTransaction(GuardedConnection connection) {
        this.connection = connection;
    }

    /** The journal of the open transaction, created at a journaling run's first write. */
    ConnectionJournal journal() {
        ConnectionJournal known = journal;
        if (known == null) {
            known = new ConnectionJournal(connection.owner().journaling());
            journal = known;
        }
        return known;
    }

    /** Writes the journal's waiting entries into the transaction about to commit. */
    void flushJournal() throws SQLException {
        ConnectionJournal known = journal;
        if (known != null && known.hasPending()) {
            known.flush(connection.delegate);
        }
    }

    /** Whether the journal holds entries of the open transaction not yet written. */
    boolean journalPending() {
        ConnectionJournal known = journal;
        return known != null && known.hasPending();
    }

    /** Drops the journal's waiting entries: their writes were rolled back. */
    void discardJournal() {
        ConnectionJournal known = journal;
        if (known != null) {
            known.discard();
        }
    }

    /**
     * {@link #flushJournal} before the job commits: in a transaction PostgreSQL aborted, nothing will commit, so the
     * entries go.
     */
    void flushBeforeCommit() throws SQLException {
        try {
            flushJournal();
        } catch (SQLException failed) {
            if (!IN_FAILED_TRANSACTION.equals(failed.getSQLState())) {
                throw failed;
            }
            // PostgreSQL aborted the transaction (the job caught a failed statement): nothing of it will commit, so
            // its entries go, and the driver's commit reports what it always does
            discardJournal();
        }
    }
}
