package dev.jobguard.internal.journal;

import dev.jobguard.internal.sql.SqlText;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the journal holds of one step of a write (a statement, or a batch entry) from its capture until the write ran
 * or failed: its plan and table, the entries written for it, and what is still to do once the write ran (read back
 * after-images, journal the inserted rows, write its gap).
 */
final class CapturedStep {
    @Nullable
    CapturePlan plan;

    @Nullable
    TableInfo table;

    final @Nullable String tableName;
    final String statementSql;
    /** The rows the step's read found (and journaled). */
    long rows;
    /** The positions of the entries written for the step. */
    final List<EntryWriter.Range> written = new ArrayList<>();
    /** Its UPDATE entries were written without after-images: read them back once the write ran. */
    boolean readBack;
    /** The columns an UPDATE's images hold (key and SET columns); null for whole rows. */
    @Nullable
    List<String> columns;

    /** The keys of the rows an INSERT adds, once known. */
    @Nullable
    List<List<String>> insertedKeys;
    /** The text of the step's gap entry, when it cannot be captured; else null. */
    @Nullable
    String gap;
    /** The journal ran the write itself, in one statement with its read. */
    boolean executed;

    CapturedStep(@Nullable String tableName, String statementSql) {
        this.tableName = tableName;
        this.statementSql = statementSql;
    }

    /** The step's plan: the first thing its capture sets (a step without one has a gap, and is not read further). */
    CapturePlan plan() {
        if (plan == null) {
            throw new IllegalStateException(
                    "jobguard: a step without its plan; statement: " + SqlText.shorten(statementSql));
        }
        return plan;
    }

    /** The table the step writes: set once its plan is known and is not a gap. */
    TableInfo table() {
        if (table == null) {
            throw new IllegalStateException(
                    "jobguard: a step without its table; statement: " + SqlText.shorten(statementSql));
        }
        return table;
    }

    /** The text of a gap entry for this step: why, and the statement (shortened). */
    String gapText(String why) {
        return why + "; statement: " + SqlText.shorten(statementSql);
    }
}
