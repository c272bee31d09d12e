package dev.jobguard;

/** Which limit a run crossed. */
public enum TripReason {
    /** The run's total of changed rows went over {@code maxRowsChanged}. */
    MAX_ROWS_CHANGED("maxRowsChanged"),
    /** One statement changed more rows than {@code maxRowsPerStatement}. */
    MAX_ROWS_PER_STATEMENT("maxRowsPerStatement"),
    /** The rows changed in one table went over that table's limit. */
    TABLE_LIMIT("tableLimit"),
    /** TRUNCATE or DROP TABLE on a table covered by a limit, without {@code allowTruncate}. */
    WHOLE_TABLE_CHANGE("allowTruncate"),
    /** The driver did not report a row count and the policy sets {@code tripOnUnknownRowCount}. */
    UNKNOWN_ROW_COUNT("tripOnUnknownRowCount"),
    /** The run changed far more rows than the job's own recent runs (its baseline). */
    ANOMALY("anomaly"),
    /** The run took longer than {@code maxDuration}. */
    MAX_DURATION("maxDuration"),
    /** The job failed {@code maxConsecutiveFailures} times in a row. */
    CONSECUTIVE_FAILURES("maxConsecutiveFailures"),
    /** A write the change journal could not capture, with {@code tripOnJournalGap} set. */
    JOURNAL_GAP("tripOnJournalGap");

    private final String setting;

    TripReason(String setting) {
        this.setting = setting;
    }

    /** The policy setting that decides this limit. */
    public String setting() {
        return setting;
    }
}
