package dev.jobguard.jdbc;

/**
 * How an update runs ({@code executeUpdate}, {@code executeLargeUpdate}): as an update, or as {@code execute} (a
 * write returning rows).
 *
 * @param countOnly the job asked for the update count alone (no generated keys), so a journaling run may run the
 *     write in one statement with its read instead ({@link WriteRequest#journalMayRun})
 * @param journalKeys the driver returns generated keys the journal reads
 */
record Update(SqlCall<Long> update, SqlCall<Boolean> execute, boolean countOnly, boolean journalKeys) {
    /** An update as the job called it, with or without generated keys. */
    static Update of(SqlCall<Long> update, SqlCall<Boolean> execute) {
        return new Update(update, execute, false, false);
    }
}
