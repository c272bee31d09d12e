package dev.jobguard.internal.journal;

import dev.jobguard.internal.run.RunContext;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The journal of one connection: reads what each write of a journaling run is about to change (or runs the write
 * with its read) and writes the entries to {@code jobguard_change} in the write's transaction as it reads them, a
 * chunk at a time ({@link EntryWriter}), so that nothing grows with the number of rows a write changes. A rollback
 * takes the entries with the changes; a write that fails in a transaction that goes on takes its entries back.
 * Internal to jobguard; used by one connection at a time.
 *
 * <p>Its parts: {@link WriteCapture} captures a write before it runs, {@link CapturedWrite} settles the captured
 * entries once it ran or failed (behind {@link Capture}), and {@link EntryWriter} keeps the entries that wait for the
 * transaction's commit and flushes them.
 */
public final class ConnectionJournal {

    private final Journaling support;
    private final EntryWriter writer;

    public ConnectionJournal(Journaling support) {
        this.support = support;
        this.writer = new EntryWriter(support);
    }

    /** What a write will change, read (and journaled) before it executes. */
    public static final class Capture {
        private final CapturedWrite write;

        private Capture(CapturedWrite write) {
            this.write = write;
        }

        /**
         * Whether the journal ran the write itself ({@link ConnectionJournal#before(Connection, RunContext,
         * JournalWrite)}): with its read in one statement, or a batch entry by entry. The job's statement must not
         * run (a batch's entries must be cleared from it), and {@link #updateCounts()} is its result.
         */
        public boolean executed() {
            return write.executed();
        }

        /** The rows the write the journal ran changed: one count per batch entry, or the one count of its statement. */
        public long[] updateCounts() {
            return write.updateCounts();
        }

        /**
         * A batch failed part-way in a transaction that goes on (the job's own, or a sandbox). When the driver
         * reported each entry (a count, or {@code EXECUTE_FAILED} for a statement that failed and so changed
         * nothing), the entries that took effect are journaled; otherwise which did is unknown, so each of its tables
         * gets a gap entry, and the run's revert is partial.
         *
         * @param counts the failure's update counts, one per batch entry when the driver reported them all
         */
        public void failedPartWay(long @Nullable [] counts) throws SQLException {
            write.failedPartWay(counts);
        }

        /**
         * The write failed in a transaction that goes on (the job caught it): the entries written for it are taken
         * back. Where the database aborted the transaction (PostgreSQL) that cannot be done, and need not: nothing of
         * it will commit.
         */
        public void abandon() {
            write.abandon();
        }

        /**
         * The write succeeded: the rows it inserted are journaled with their after-images, and the entries of its
         * UPDATEs whose after-images could not be evaluated with the read get them from the rows as stored.
         *
         * @param generatedKeys the driver's generated keys of an INSERT, when the statement asked for them; else null
         */
        public void after(@Nullable ResultSet generatedKeys) throws SQLException {
            write.after(generatedKeys);
        }
    }

    /**
     * Reads, in the write's transaction, the rows each step is about to update or delete (locking them where the
     * database allows) and the keys an INSERT gives. A step that cannot be captured is reported to the run.
     *
     * @throws SQLException the run's trip exception when a gap trips it ({@code tripOnJournalGap})
     */
    public Capture before(Connection raw, RunContext run, List<JournalStep> steps, boolean generatedKeys)
            throws SQLException {
        return before(raw, run, new JournalWrite(steps, generatedKeys, null, false));
    }

    /**
     * {@link #before(Connection, RunContext, List, boolean)} for an update count the journal may produce itself: on
     * PostgreSQL, a single UPDATE or DELETE whose parameters it can replay runs with its read in one statement
     * ({@link ReturningCapture}), and {@link Capture#executed()} tells the caller not to run the job's.
     *
     * <p>A batch of several UPDATE or DELETE entries whose parameters the journal can replay runs entry by entry in
     * the journal (each read, run and, where needed, read back before the next), when the caller takes its counts
     * from the journal ({@link JournalWrite#mayExecute()}): an entry may change a row an earlier one changed, or make
     * a row match, so reading every entry's rows before the batch runs would journal images the rows never had, and
     * the revert would find the rows "changed since the run".
     *
     * @throws SQLException the run's trip exception when a gap trips it ({@code tripOnJournalGap})
     */
    public Capture before(Connection raw, RunContext run, JournalWrite write) throws SQLException {
        return new Capture(new WriteCapture(support, writer, raw, run, write).capture());
    }

    /** Whether entries wait for the transaction's commit (at most {@link EntryWriter#CHUNK}). */
    public boolean hasPending() {
        return !writer.isEmpty();
    }

    /** The transaction rolled back: the entries that wait go with it (those written went with the transaction). */
    public void discard() {
        writer.clear();
    }

    /** Writes the entries that wait, in the connection's transaction, just before it commits. */
    public void flush(Connection raw) throws SQLException {
        writer.flush(raw);
    }
}
