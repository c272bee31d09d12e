package dev.jobguard.journal;

import dev.jobguard.internal.sql.SqlText;
import java.util.ArrayList;
import java.util.List;

/**
 * What the journal holds of one step of a write (a statement, or a batch entry) from its capture until the write ran
 * or failed: its plan and table, the entries written for it, and what is still to do once the write ran (read back
 * after-images, journal the inserted rows, write its gap).
 */
final class CapturedStep {
    CapturePlan plan;
    TableInfo table;
    final String tableName;
    final String statementSql;
    /** The rows the step's read found (and journaled). */
    long rows;
    /** The positions of the entries written for the step. */
    final List<EntryWriter.Range> written = new ArrayList<>();
    /** Its UPDATE entries were written without after-images: read them back once the write ran. */
    boolean readBack;
    /** The columns an UPDATE's images hold (key and SET columns); null for whole rows. */
    List<String> columns;

    /** The keys of the rows an INSERT adds, once known. */
    List<List<String>> insertedKeys;
    /** The text of the step's gap entry, when it cannot be captured; else null. */
    String gap;
    /** The journal ran the write itself, in one statement with its read. */
    boolean executed;

    CapturedStep(String tableName, String statementSql) {
        this.tableName = tableName;
        this.statementSql = statementSql;
    }

    /** The text of a gap entry for this step: why, and the statement (shortened). */
    String gapText(String why) {
        return why + "; statement: " + SqlText.shorten(statementSql);
    }
}
