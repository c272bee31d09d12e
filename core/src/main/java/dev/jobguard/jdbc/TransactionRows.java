package dev.jobguard.jdbc;

import dev.jobguard.internal.run.RunContext;
import java.sql.Savepoint;
import java.util.IdentityHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The rows a run's writes changed in one connection's open transaction, until that transaction commits or rolls back;
 * then they go to the run as rows committed or rows rolled back. Savepoints remember how many rows came before them,
 * so a rollback to one gives back only the rows after it.
 */
final class TransactionRows {

    private @Nullable RunContext run;
    private long pending;
    private @Nullable IdentityHashMap<Savepoint, Long> before;

    /** A run's write changed {@code rows} in the open transaction. */
    void add(RunContext writer, long rows) {
        if (run != writer) {
            // a transaction is one run's: a later run on the connection starts its own count
            run = writer;
            pending = 0;
            before = null;
        }
        pending += rows;
    }

    /** The open transaction committed. */
    void committed() {
        if (run != null && pending > 0) {
            run.committed(pending);
        }
        clear();
    }

    /** The open transaction rolled back. */
    void rolledBack() {
        if (run != null && pending > 0) {
            run.rolledBack(pending);
        }
        clear();
    }

    /** A savepoint was set in the open transaction. */
    void savepoint(Savepoint savepoint) {
        if (before == null) {
            before = new IdentityHashMap<>();
        }
        before.put(savepoint, pending);
    }

    /** The transaction rolled back to a savepoint: the rows after it were rolled back. */
    void rolledBackTo(Savepoint savepoint) {
        // a savepoint not seen was set before the run's first write in this transaction: all its rows come after it
        long at = before == null ? 0 : before.getOrDefault(savepoint, 0L);
        if (run != null && pending > at) {
            run.rolledBack(pending - at);
        }
        pending = at;
    }

    /** A savepoint was released (its rows stay in the transaction). */
    void released(Savepoint savepoint) {
        if (before != null) {
            before.remove(savepoint);
        }
    }

    private void clear() {
        pending = 0;
        before = null;
    }
}
